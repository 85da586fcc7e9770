using Drip.Feedback;
using Drip.Letters;
using Drip.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Feedback;

/// <summary>Letter counts per ISO week beside the all-time ones, and their sums per program over time.</summary>
public sealed class WeeklyLetterStatsTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(Monday);
    private readonly LiteLetterStatsStore _stats;

    public WeeklyLetterStatsTests() => _stats = new LiteLetterStatsStore(_db, _clock);

    [Fact]
    public void Each_count_lands_in_the_iso_week_it_happened_and_in_the_all_time_total()
    {
        _stats.Add("news", LetterMetric.Sent, 10);
        _stats.Add("news", LetterMetric.Opens);
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 8, 23, 59, 59, TimeSpan.Zero)); // Sunday night: still the same week
        _stats.Add("news", LetterMetric.Clicks);
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero)); // Monday midnight: the next week
        _stats.Add("news", LetterMetric.Opens, 2);
        _stats.Add("news", LetterMetric.Unsubscribes);

        var weeks = _stats.Weekly(new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc)).OrderBy(w => w.Monday).ToList();

        Assert.Equal(2, weeks.Count);
        Assert.Equal(new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc), weeks[0].Monday);
        Assert.Equal(DateTimeKind.Utc, weeks[0].Monday.Kind);
        Assert.Equal((10, 1, 1, 0), (weeks[0].Sent, weeks[0].Opens, weeks[0].Clicks, weeks[0].Unsubscribes));
        Assert.Equal(new DateTime(2026, 3, 9, 0, 0, 0, DateTimeKind.Utc), weeks[1].Monday);
        Assert.Equal((0, 2, 0, 1), (weeks[1].Sent, weeks[1].Opens, weeks[1].Clicks, weeks[1].Unsubscribes));
        var total = _stats.Find("news")!;
        Assert.Equal((10, 3, 1, 1), (total.Sent, total.Opens, total.Clicks, total.Unsubscribes));
        Assert.Single(_stats.Weekly(new DateTime(2026, 3, 9, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public void The_turn_of_the_year_stays_in_one_iso_week()
    {
        _clock.SetUtcNow(new DateTimeOffset(2026, 12, 31, 12, 0, 0, TimeSpan.Zero)); // Thursday
        _stats.Add("new-year", LetterMetric.Sent);
        _clock.SetUtcNow(new DateTimeOffset(2027, 1, 2, 12, 0, 0, TimeSpan.Zero)); // Saturday
        _stats.Add("new-year", LetterMetric.Sent);

        var week = Assert.Single(_stats.Weekly(new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("new-year@2026-W53", week.Id);
        Assert.Equal(new DateTime(2026, 12, 28, 0, 0, 0, DateTimeKind.Utc), week.Monday);
        Assert.Equal(2, week.Sent);
    }

    [Fact]
    public void Program_trends_sum_the_letters_of_each_program_and_sequence_per_week()
    {
        var library = TemplateLibrary.Load(TemplateFolder.Shipped);
        var trends = new ProgramTrends(_stats, library, _clock);
        _stats.Add("news-new-linen-colours", LetterMetric.Sent, 4); // the weekly program's pool
        _stats.Add("useful-caring-for-linen", LetterMetric.Sent, 6);
        _stats.Add("news-new-linen-colours", LetterMetric.Opens, 3);
        _stats.Add("useful-caring-for-linen", LetterMetric.Clicks, 2);
        _stats.Add("thank-you", LetterMetric.Sent, 5); // the post-sale sequence
        _stats.Add("still-interested", LetterMetric.Sent); // listed by nothing: the re-engagement letter
        _clock.Advance(TimeSpan.FromDays(7));
        _stats.Add("useful-caring-for-linen", LetterMetric.Bounces);

        var all = trends.LastWeeks(4);

        var weekly = Assert.Single(all, t => t.Source == "program:weekly");
        Assert.Equal("The Example Shop letter", weekly.Name);
        Assert.Equal([new DateOnly(2026, 2, 16), new DateOnly(2026, 2, 23), new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 9)], weekly.Weeks.Select(w => w.Monday));
        Assert.Equal(new WeekOfLetters(new DateOnly(2026, 3, 2), 10, 3, 2, 0, 0), weekly.Weeks[2]);
        Assert.Equal(0.3, weekly.Weeks[2].RateOf(weekly.Weeks[2].Opens), 6);
        Assert.Equal(new WeekOfLetters(new DateOnly(2026, 3, 9), 0, 0, 0, 0, 1), weekly.Weeks[3]);
        Assert.Equal(5, Assert.Single(all, t => t.Source == "sequence:post-sale").Weeks[2].Sent);
        Assert.Equal(1, Assert.Single(all, t => t.Source == ProgramTrends.OtherSource).Weeks[2].Sent);
        Assert.DoesNotContain(all, t => t.Source == "date:birthday"); // sent nothing in these weeks
    }

    public void Dispose() => _db.Dispose();
}
