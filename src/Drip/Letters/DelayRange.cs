using System.Globalization;
using System.Text.RegularExpressions;

namespace Drip.Letters;

/// <summary>
/// How long after the trigger a step goes out: <c>0d</c>, <c>7d</c>, <c>2h</c>, <c>1w</c>, or a range
/// <c>10d..14d</c> from which each subscriber gets one fixed point.
/// </summary>
public sealed partial record DelayRange(TimeSpan Min, TimeSpan Max)
{
    public bool IsImmediate => Max == TimeSpan.Zero;

    /// <summary>Whether the delay counts whole days, so the step lands in a local sending window.</summary>
    public bool IsInDays => Min.Ticks % TimeSpan.TicksPerDay == 0 && Max.Ticks % TimeSpan.TicksPerDay == 0 && !IsImmediate;

    public static DelayRange Parse(string text)
    {
        var m = Pattern().Match(text.Trim());
        if (!m.Success)
        {
            throw new FormatException($"delay '{text}' is not like 0d, 7d, 2h, 1w or 10d..14d");
        }
        var min = Unit(m.Groups[1].Value, m.Groups[2].Value);
        var max = m.Groups[3].Success ? Unit(m.Groups[3].Value, m.Groups[4].Value) : min;
        if (max < min)
        {
            throw new FormatException($"delay '{text}' ends before it starts");
        }
        return new DelayRange(min, max);
    }

    /// <summary>A point in the range chosen by <paramref name="spread"/> in [0, 1); whole days stay whole.</summary>
    public TimeSpan Pick(double spread)
    {
        if (Min == Max)
        {
            return Min;
        }
        if (IsInDays)
        {
            var days = (int)Math.Floor(spread * ((Max - Min).TotalDays + 1));
            return Min + TimeSpan.FromDays(days);
        }
        return Min + (Max - Min) * spread;
    }

    public override string ToString() => Min == Max ? Format(Min) : $"{Format(Min)}..{Format(Max)}";

    private static string Format(TimeSpan t) =>
        t.Ticks % TimeSpan.TicksPerDay == 0 ? $"{(int)t.TotalDays}d"
        : t.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(int)t.TotalHours}h"
        : $"{(int)t.TotalMinutes}m";

    private static TimeSpan Unit(string number, string unit)
    {
        var n = int.Parse(number, CultureInfo.InvariantCulture);
        return unit switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
    }

    [GeneratedRegex(@"^(\d{1,4})([mhdw])(?:\s*\.\.\s*(\d{1,4})([mhdw]))?$")]
    private static partial Regex Pattern();
}
