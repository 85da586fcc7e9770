using Drip.Letters;
using Drip.Planning;

namespace Drip.UnitTests.Planning;

public sealed class SequenceTimingTests
{
    private static readonly Sequence PostSale = new()
    {
        Id = "post-sale", Name = "After a sale", Trigger = "sale",
        Steps =
        [
            new SequenceStep(0, "thank-you", DelayRange.Parse("0d"), Urgent: true),
            new SequenceStep(1, "how-did-we-do", DelayRange.Parse("7d"), Urgent: false),
            new SequenceStep(2, "letter-from-the-boss", DelayRange.Parse("10d..14d"), Urgent: false),
            new SequenceStep(3, "reminder", DelayRange.Parse("2h"), Urgent: false),
        ],
    };

    private static DateTimeOffset Due(int step, DateTimeOffset sale, string zone, string key = "k") =>
        SequencePlanner.DueAt(PostSale, PostSale.Steps[step], sale, TimeZoneInfo.FindSystemTimeZoneById(zone), key);

    [Theory]
    [InlineData("Europe/Moscow")]
    [InlineData("America/Los_Angeles")]
    [InlineData("Pacific/Auckland")]
    [InlineData("Asia/Kathmandu")]
    public void Week_later_step_lands_seven_local_days_later_between_ten_and_noon(string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var sale = new DateTimeOffset(2026, 6, 10, 21, 30, 0, TimeSpan.Zero);
        for (var i = 0; i < 50; i++)
        {
            var local = TimeZoneInfo.ConvertTime(Due(1, sale, zone, $"key{i}"), tz);
            Assert.Equal(LocalTime.DateIn(sale, tz).AddDays(7), DateOnly.FromDateTime(local.DateTime));
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(12));
        }
    }

    [Fact]
    public void Same_day_step_is_due_at_the_sale_and_hour_delays_keep_the_exact_time()
    {
        var sale = new DateTimeOffset(2026, 3, 5, 16, 45, 0, TimeSpan.FromHours(3));
        Assert.Equal(sale, Due(0, sale, "Europe/Moscow"));
        Assert.Equal(sale.AddHours(2), Due(3, sale, "Europe/Moscow"));
    }

    [Fact]
    public void Boss_letter_comes_between_ten_and_fourteen_days_later_on_a_fixed_day_per_key()
    {
        var sale = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        var days = Enumerable.Range(0, 300).Select(i => (Due(2, sale, "UTC", $"s{i}").Date - sale.Date).Days).ToList();
        Assert.All(days, d => Assert.InRange(d, 10, 14));
        Assert.Equal(5, days.Distinct().Count());
        Assert.Equal(Due(2, sale, "UTC", "same"), Due(2, sale, "UTC", "same"));
    }

    [Fact]
    public void Sends_are_spread_across_the_window_not_stacked_at_ten()
    {
        var sale = new DateTimeOffset(2026, 1, 12, 9, 0, 0, TimeSpan.Zero);
        var minutes = Enumerable.Range(0, 200).Select(i => Due(1, sale, "UTC", $"p{i}").TimeOfDay.TotalMinutes).ToList();
        Assert.True(minutes.Distinct().Count() > 100);
        Assert.True(minutes.Min() < 630 && minutes.Max() > 690, "spread should reach both halves of 10:00–12:00");
    }

    [Fact]
    public void Daylight_saving_change_keeps_the_local_window()
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var sale = new DateTimeOffset(2026, 3, 3, 15, 0, 0, TimeSpan.Zero); // EST; a week later is EDT
        var local = TimeZoneInfo.ConvertTime(Due(1, sale, "America/New_York"), tz);
        Assert.Equal(new DateOnly(2026, 3, 10), DateOnly.FromDateTime(local.DateTime));
        Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(12));
        Assert.Equal(TimeSpan.FromHours(-4), local.Offset);
    }

    [Fact]
    public void A_wall_time_inside_the_spring_gap_moves_forward_by_the_gap()
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var instant = LocalTime.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0), tz);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
        Assert.Equal(3, TimeZoneInfo.ConvertTime(instant, tz).Hour);
    }

    [Theory]
    [InlineData("0d", 0, 0)]
    [InlineData("7d", 7, 7)]
    [InlineData("1w", 7, 7)]
    [InlineData("10d..14d", 10, 14)]
    public void Delays_parse(string text, int minDays, int maxDays)
    {
        var delay = DelayRange.Parse(text);
        Assert.Equal((TimeSpan.FromDays(minDays), TimeSpan.FromDays(maxDays)), (delay.Min, delay.Max));
        Assert.Equal(text == "1w" ? "7d" : text, delay.ToString());
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("7")]
    [InlineData("14d..10d")]
    [InlineData("-1d")]
    public void Bad_delays_are_refused(string text) => Assert.Throws<FormatException>(() => DelayRange.Parse(text));
}
