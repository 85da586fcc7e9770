using System.Globalization;

namespace Drip.Cadence;

/// <summary>
/// Days of the week and a time of day, in the subscriber's own zone: "Tue-Thu 10:00-12:00",
/// "Wed,Thu 10:00-12:00", "Fri 10:00-12:00", "daily 09:00-11:00".
/// </summary>
public sealed record SendingWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly Start, TimeOnly End)
{
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static readonly SendingWindow Default = Parse("Tue-Thu 10:00-12:00");

    public bool Allows(DayOfWeek day) => Days.Contains(day);

    /// <summary>A point in the window chosen by <paramref name="spread"/> in [0, 1).</summary>
    public TimeOnly At(double spread) => Start.Add((End - Start) * spread);

    public static SendingWindow Parse(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            throw new FormatException($"window '{text}' is not like 'Tue-Thu 10:00-12:00'");
        }
        var days = new HashSet<DayOfWeek>();
        if (parts[0].Equals("daily", StringComparison.OrdinalIgnoreCase))
        {
            days.UnionWith(Week);
        }
        else
        {
            foreach (var piece in parts[0].Split(','))
            {
                var range = piece.Split('-');
                var from = Array.IndexOf(Week, Day(range[0], text));
                var to = range.Length > 1 ? Array.IndexOf(Week, Day(range[1], text)) : from;
                for (var i = from; ; i = (i + 1) % 7)
                {
                    days.Add(Week[i]);
                    if (i == to)
                    {
                        break;
                    }
                }
            }
        }
        var times = parts[1].Split('-');
        if (times.Length != 2
            || !TimeOnly.TryParseExact(times[0], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(times[1], "H:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= start)
        {
            throw new FormatException($"window '{text}': the time part is not like 10:00-12:00");
        }
        return new SendingWindow(days, start, end);
    }

    private static DayOfWeek Day(string name, string text)
    {
        foreach (var day in Week)
        {
            if (day.ToString().StartsWith(name.Trim(), StringComparison.OrdinalIgnoreCase) && name.Trim().Length >= 2)
            {
                return day;
            }
        }
        throw new FormatException($"window '{text}': '{name}' is not a day of the week");
    }

    public override string ToString()
    {
        var days = Week.Where(Days.Contains).Select(d => d.ToString()[..3]).ToList();
        var label = days.Count == 7 ? "daily" : Contiguous() ? $"{days[0]}-{days[^1]}" : string.Join(",", days);
        return days.Count == 1 ? $"{days[0]} {Start:HH\\:mm}-{End:HH\\:mm}" : $"{label} {Start:HH\\:mm}-{End:HH\\:mm}";
    }

    private bool Contiguous()
    {
        var idx = Week.Select((d, i) => (d, i)).Where(x => Days.Contains(x.d)).Select(x => x.i).ToList();
        return idx.Count > 1 && idx[^1] - idx[0] == idx.Count - 1;
    }
}
