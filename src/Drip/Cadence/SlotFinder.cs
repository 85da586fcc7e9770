using System.Globalization;
using Drip.Planning;

namespace Drip.Cadence;

/// <summary>Where a letter lands: the instant, and the reasons that put it there.</summary>
public sealed record Slot(DateTimeOffset At, string Why, SendingWindow Window);

/// <summary>
/// Finds the first moment at or after a point in time that lies in a sending window, in the subscriber's
/// zone, and that the subscriber's calendar allows. A letter that collides with a rule moves to the next
/// allowed slot; it is never dropped (the search runs up to a year ahead).
/// </summary>
public static class SlotFinder
{
    public static Slot Find(SendCalendar calendar, SendingWindow window, DateTimeOffset earliest, string key, string windowName)
    {
        var zone = calendar.Zone;
        var spread = Spread.Of(key + "/slot");
        var moved = new List<string>();
        var day = LocalTime.DateIn(earliest, zone);
        for (var i = 0; i < 366; i++, day = day.AddDays(1))
        {
            if (!window.Allows(day.DayOfWeek))
            {
                continue;
            }
            var at = LocalTime.ToInstant(day.ToDateTime(window.At(spread)), zone);
            if (at < earliest)
            {
                var end = LocalTime.ToInstant(day.ToDateTime(window.End), zone);
                if (end <= earliest)
                {
                    continue; // today's window is over
                }
                at = earliest; // join on Thursday 11:59: the window is still open, go now
            }
            if (calendar.WhyNot(at) is { } rule)
            {
                if (moved.Count < 3)
                {
                    moved.Add($"{day.ToString("ddd d MMM", CultureInfo.InvariantCulture)}: {rule}");
                }
                continue;
            }
            var why = $"{windowName} window {window} ({zone.Id})";
            return new Slot(at, moved.Count == 0 ? why : $"{why}; moved past {string.Join("; ", moved)}", window);
        }
        throw new InvalidOperationException($"no slot in a year for {key}: window {window} and the caps never meet");
    }
}
