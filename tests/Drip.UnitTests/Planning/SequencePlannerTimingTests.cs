using Drip.Letters;
using Drip.Planning;

namespace Drip.UnitTests.Planning;

public sealed class SequencePlannerTimingTests
{
    private static readonly TimeSpan WindowOpens = TimeSpan.FromHours(10);
    private static readonly TimeSpan WindowCloses = TimeSpan.FromHours(12);

    private static readonly SequenceStep Immediate = new(0, "thank-you", DelayRange.Parse("0d"), Urgent: true);
    private static readonly SequenceStep WeekLater = new(1, "how-did-we-do", DelayRange.Parse("7d"), Urgent: false);
    private static readonly SequenceStep TenToFourteenDays = new(2, "letter-from-the-boss", DelayRange.Parse("10d..14d"), Urgent: false);
    private static readonly SequenceStep TwoHours = new(3, "reminder", DelayRange.Parse("2h"), Urgent: false);

    private static readonly Sequence PostSale = new()
    {
        Id = "post-sale",
        Name = "After a sale",
        Trigger = "sale",
        Steps = [Immediate, WeekLater, TenToFourteenDays, TwoHours],
    };

    // 21:30 UTC on 10 June 2026: already 11 June in Moscow and Auckland, still 10 June in Los Angeles.
    private static readonly DateTimeOffset Sale = new(2026, 6, 10, 21, 30, 0, TimeSpan.Zero);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTimeOffset Local(DateTimeOffset instant, string zone) => TimeZoneInfo.ConvertTime(instant, Zone(zone));

    private static DateTimeOffset Due(SequenceStep step, DateTimeOffset occurredAt, string zone, string key) =>
        SequencePlanner.DueAt(PostSale, step, occurredAt, Zone(zone), key);

    private static IEnumerable<string> Keys(int count) => Enumerable.Range(0, count).Select(i => $"post-sale/{i}/subscriber-{i * 7919}");

    [Theory]
    [InlineData("Europe/Moscow")]
    [InlineData("America/Los_Angeles")]
    [InlineData("Pacific/Auckland")]
    [InlineData("UTC")]
    public void Zero_day_step_is_due_at_the_event_instant(string zone)
    {
        foreach (var key in Keys(20))
        {
            Assert.Equal(Sale, Due(Immediate, Sale, zone, key));
        }
    }

    [Fact]
    public void Hour_delayed_step_is_due_exactly_that_long_after_the_event_not_in_the_window()
    {
        var nightSale = new DateTimeOffset(2026, 6, 10, 1, 15, 0, TimeSpan.Zero);

        Assert.Equal(nightSale.AddHours(2), Due(TwoHours, nightSale, "Europe/Moscow", "k"));
    }

    [Theory]
    [InlineData("Europe/Moscow", 2026, 6, 18)]
    [InlineData("America/Los_Angeles", 2026, 6, 17)]
    [InlineData("Pacific/Auckland", 2026, 6, 18)]
    public void Week_step_lands_on_the_local_date_plus_seven_inside_the_window(string zone, int year, int month, int day)
    {
        foreach (var key in Keys(100))
        {
            var local = Local(Due(WeekLater, Sale, zone, key), zone);

            Assert.Equal(new DateOnly(year, month, day), DateOnly.FromDateTime(local.DateTime));
            Assert.True(local.TimeOfDay >= WindowOpens && local.TimeOfDay < WindowCloses, $"{key}: {local:O} is outside 10:00-12:00");
        }
    }

    [Theory]
    [InlineData("Europe/Moscow", 2026, 6, 11)]
    [InlineData("America/Los_Angeles", 2026, 6, 10)]
    [InlineData("Pacific/Auckland", 2026, 6, 11)]
    public void Ranged_step_lands_ten_to_fourteen_local_days_later_inside_the_window(string zone, int year, int month, int day)
    {
        var saleDay = new DateOnly(year, month, day);
        var offsets = new HashSet<int>();
        foreach (var key in Keys(300))
        {
            var local = Local(Due(TenToFourteenDays, Sale, zone, key), zone);
            var days = DateOnly.FromDateTime(local.DateTime).DayNumber - saleDay.DayNumber;

            Assert.InRange(days, 10, 14);
            Assert.True(local.TimeOfDay >= WindowOpens && local.TimeOfDay < WindowCloses, $"{key}: {local:O} is outside 10:00-12:00");
            offsets.Add(days);
        }
        Assert.Equal(5, offsets.Count);
    }

    [Fact]
    public void Same_key_gives_the_same_time_every_time()
    {
        foreach (var step in new[] { WeekLater, TenToFourteenDays })
        {
            var first = Due(step, Sale, "Europe/Moscow", "post-sale/1/ada");
            var again = Due(step, Sale, "Europe/Moscow", "post-sale/1/ada");

            Assert.Equal(first, again);
        }
    }

    [Fact]
    public void Different_keys_spread_across_the_window()
    {
        var minutes = Keys(200)
            .Select(key => Local(Due(WeekLater, Sale, "Europe/Moscow", key), "Europe/Moscow"))
            .Select(local => (int)local.TimeOfDay.TotalMinutes)
            .ToList();

        Assert.True(minutes.Distinct().Count() > 50, $"only {minutes.Distinct().Count()} distinct minutes for 200 keys");
        Assert.True(minutes.Min() < 10 * 60 + 30, "no send in the first half hour of the window");
        Assert.True(minutes.Max() >= 11 * 60 + 30, "no send in the last half hour of the window");
    }

    [Fact]
    public void Custom_window_is_respected()
    {
        var evening = new Sequence
        {
            Id = "evening",
            Name = "Evening",
            Trigger = "sale",
            Steps = [WeekLater],
            WindowStart = new TimeOnly(18, 0),
            WindowEnd = new TimeOnly(19, 30),
        };

        foreach (var key in Keys(100))
        {
            var local = Local(SequencePlanner.DueAt(evening, WeekLater, Sale, Zone("Europe/Moscow"), key), "Europe/Moscow");

            Assert.Equal(new DateOnly(2026, 6, 18), DateOnly.FromDateTime(local.DateTime));
            Assert.True(local.TimeOfDay >= TimeSpan.FromHours(18) && local.TimeOfDay < TimeSpan.FromHours(19.5), $"{key}: {local:O}");
        }
    }

    [Fact]
    public void Week_step_across_the_spring_clock_change_stays_between_ten_and_noon_local()
    {
        // 10:00 EST on Tuesday 3 March 2026; clocks go forward on Sunday 8 March.
        var sale = new DateTimeOffset(2026, 3, 3, 15, 0, 0, TimeSpan.Zero);

        foreach (var key in Keys(100))
        {
            var local = Local(Due(WeekLater, sale, "America/New_York", key), "America/New_York");

            Assert.Equal(new DateOnly(2026, 3, 10), DateOnly.FromDateTime(local.DateTime));
            Assert.Equal(TimeSpan.FromHours(-4), local.Offset);
            Assert.True(local.TimeOfDay >= WindowOpens && local.TimeOfDay < WindowCloses, $"{key}: {local:O} is outside 10:00-12:00");
        }
    }

    [Fact]
    public void Local_time_in_the_spring_forward_gap_moves_forward_by_the_gap()
    {
        var newYork = Zone("America/New_York");

        var instant = LocalTime.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0), newYork);

        var local = TimeZoneInfo.ConvertTime(instant, newYork);
        Assert.Equal(new DateTime(2026, 3, 8, 3, 30, 0), local.DateTime);
        Assert.Equal(TimeSpan.FromHours(-4), local.Offset);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero), instant);
    }

    [Fact]
    public void Local_time_in_the_autumn_overlap_takes_the_first_occurrence()
    {
        var newYork = Zone("America/New_York");

        var instant = LocalTime.ToInstant(new DateTime(2026, 11, 1, 1, 30, 0), newYork);

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), instant);
        Assert.Equal(TimeSpan.FromHours(-4), instant.Offset);
    }

    [Theory]
    [InlineData("Europe/Moscow", 3)]
    [InlineData("America/New_York", -4)]
    [InlineData("Pacific/Auckland", 12)]
    public void Local_time_outside_a_clock_change_uses_the_zone_offset(string zone, int offsetHours)
    {
        var instant = LocalTime.ToInstant(new DateTime(2026, 6, 15, 10, 0, 0), Zone(zone));

        Assert.Equal(new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.FromHours(offsetHours)), instant);
        Assert.Equal(TimeSpan.FromHours(offsetHours), instant.Offset);
    }

    [Fact]
    public void Local_time_ignores_the_kind_of_the_date_time()
    {
        var moscow = Zone("Europe/Moscow");

        var fromUtcKind = LocalTime.ToInstant(new DateTime(2026, 6, 15, 10, 0, 0, DateTimeKind.Utc), moscow);

        Assert.Equal(new DateTimeOffset(2026, 6, 15, 7, 0, 0, TimeSpan.Zero), fromUtcKind);
    }
}
