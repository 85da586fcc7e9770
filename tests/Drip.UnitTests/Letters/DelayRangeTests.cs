using Drip.Letters;

namespace Drip.UnitTests.Letters;

public sealed class DelayRangeTests
{
    [Theory]
    [InlineData("0d", 0, 0)]
    [InlineData("7d", 7 * 24, 7 * 24)]
    [InlineData("2h", 2, 2)]
    [InlineData("1w", 7 * 24, 7 * 24)]
    [InlineData("10d..14d", 10 * 24, 14 * 24)]
    [InlineData(" 10d .. 14d ", 10 * 24, 14 * 24)]
    [InlineData("2h..1d", 2, 24)]
    public void Parse_reads_single_delays_and_ranges(string text, int minHours, int maxHours)
    {
        var delay = DelayRange.Parse(text);

        Assert.Equal(TimeSpan.FromHours(minHours), delay.Min);
        Assert.Equal(TimeSpan.FromHours(maxHours), delay.Max);
    }

    [Theory]
    [InlineData("0d", true, false)]
    [InlineData("2h", false, false)]
    [InlineData("7d", false, true)]
    [InlineData("1w", false, true)]
    [InlineData("10d..14d", false, true)]
    [InlineData("2h..1d", false, false)]
    public void Parse_tells_immediate_and_whole_day_delays_apart(string text, bool immediate, bool inDays)
    {
        var delay = DelayRange.Parse(text);

        Assert.Equal(immediate, delay.IsImmediate);
        Assert.Equal(inDays, delay.IsInDays);
    }

    [Theory]
    [InlineData("0d", "0d")]
    [InlineData("7d", "7d")]
    [InlineData("1w", "7d")]
    [InlineData("2h", "2h")]
    [InlineData("10d .. 14d", "10d..14d")]
    public void ToString_writes_the_delay_back_in_the_parse_format(string text, string expected) =>
        Assert.Equal(expected, DelayRange.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("soon")]
    [InlineData("7")]
    [InlineData("d7")]
    [InlineData("7x")]
    [InlineData("-1d")]
    [InlineData("1.5d")]
    [InlineData("7 d")]
    [InlineData("10d..")]
    [InlineData("..14d")]
    [InlineData("10d-14d")]
    [InlineData("10d..14d..20d")]
    [InlineData("12345d")]
    public void Parse_refuses_malformed_delays(string text)
    {
        var error = Assert.Throws<FormatException>(() => DelayRange.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Parse_refuses_a_range_that_ends_before_it_starts()
    {
        var error = Assert.Throws<FormatException>(() => DelayRange.Parse("14d..10d"));
        Assert.Contains("ends before it starts", error.Message);
    }

    [Fact]
    public void Pick_over_ten_to_fourteen_days_returns_whole_days_within_the_range()
    {
        var delay = DelayRange.Parse("10d..14d");

        var picks = Enumerable.Range(0, 1000).Select(i => delay.Pick(i / 1000.0)).ToList();

        Assert.All(picks, p => Assert.Equal(0, p.Ticks % TimeSpan.TicksPerDay));
        Assert.All(picks, p => Assert.InRange(p.TotalDays, 10, 14));
        Assert.Equal([10, 11, 12, 13, 14], picks.Select(p => (int)p.TotalDays).Distinct().Order());
    }

    [Fact]
    public void Pick_over_ten_to_fourteen_days_reaches_both_ends()
    {
        var delay = DelayRange.Parse("10d..14d");

        Assert.Equal(TimeSpan.FromDays(10), delay.Pick(0));
        Assert.Equal(TimeSpan.FromDays(14), delay.Pick(0.999));
    }

    [Fact]
    public void Pick_spreads_days_evenly_over_the_range()
    {
        var delay = DelayRange.Parse("10d..14d");

        var counts = Enumerable.Range(0, 1000).GroupBy(i => delay.Pick((i + 0.5) / 1000)).Select(g => g.Count());

        Assert.All(counts, c => Assert.Equal(200, c));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void Pick_of_a_single_delay_is_that_delay(double spread) =>
        Assert.Equal(TimeSpan.FromDays(7), DelayRange.Parse("7d").Pick(spread));

    [Fact]
    public void Pick_over_an_hour_range_is_proportional()
    {
        var delay = DelayRange.Parse("2h..4h");

        Assert.Equal(TimeSpan.FromHours(2), delay.Pick(0));
        Assert.Equal(TimeSpan.FromHours(3), delay.Pick(0.5));
    }
}
