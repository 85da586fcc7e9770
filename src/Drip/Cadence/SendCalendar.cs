using Drip.Planning;

namespace Drip.Cadence;

/// <summary>
/// One subscriber's letters, sent and planned, on their own clock: answers whether another letter may
/// go at a given instant under the caps, and if not, why. Not thread-safe; one per subscriber per planning pass.
/// </summary>
public sealed class SendCalendar(TimeZoneInfo zone, FrequencyCaps caps)
{
    private readonly List<DateTimeOffset> _times = [];

    public TimeZoneInfo Zone { get; } = zone;

    public IReadOnlyList<DateTimeOffset> Times => _times;

    public void Add(DateTimeOffset at) => _times.Add(at);

    /// <summary>Null when a letter may go at <paramref name="at"/>; otherwise the rule that forbids it.</summary>
    public string? WhyNot(DateTimeOffset at)
    {
        var day = LocalTime.DateIn(at, Zone);
        if (_times.Count(t => LocalTime.DateIn(t, Zone) == day) >= caps.MaxPerDay)
        {
            return $"{caps.MaxPerDay} letter(s) a day at most";
        }
        var monday = Monday(day);
        if (_times.Count(t => Monday(LocalTime.DateIn(t, Zone)) == monday) >= caps.MaxPerWeek)
        {
            return $"{caps.MaxPerWeek} letters a week at most";
        }
        if (_times.Any(t => (t - at).Duration() < caps.MinGap))
        {
            return $"at least {caps.MinGap.TotalHours:0.#} h between letters";
        }
        return null;
    }

    public int CountInWeekOf(DateOnly day, Func<DateTimeOffset, bool>? filter = null) =>
        _times.Count(t => Monday(LocalTime.DateIn(t, Zone)) == Monday(day) && (filter is null || filter(t)));

    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}
