using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Subscribers;

namespace Drip.Cadence;

/// <summary>
/// Plans the calendar-driven letters of one subscriber: date letters (birthdays, anniversaries, fixed
/// dates) a month ahead, then each program's next letters up to the horizon. Every letter is placed by
/// the same rules — its kind's window in the subscriber's zone, and the caps over everything they get —
/// and every send carries the reason it landed where it did. A pure function of its inputs and the clock:
/// it reads nothing and writes nothing, so a simulation can run it on a simulated clock.
/// </summary>
public sealed class CadencePlanner(TemplateLibrary library, FrequencyCaps caps, PlanningOptions planning)
{
    /// <summary>How far ahead date letters are placed, so they claim their day before program letters do.</summary>
    public static readonly TimeSpan DateHorizon = TimeSpan.FromDays(31);

    // Configuration with templates/cadence.yml laid over it, merged again only when the library adopts a new file.
    // One reference, so a planning pass on many threads sees an old pair or a new one, never half of each.
    private volatile MergedCaps _merged = new(null, caps);

    private sealed record MergedCaps(CadenceFile? File, FrequencyCaps Caps);

    /// <summary>The caps in force now: <c>Cadence:*</c> configuration, overridden by <c>templates/cadence.yml</c> where it has a value.</summary>
    public FrequencyCaps Caps
    {
        get
        {
            var file = library.Caps;
            var merged = _merged;
            if (!ReferenceEquals(merged.File, file))
            {
                _merged = merged = new MergedCaps(file, file?.Over(caps) ?? caps);
            }
            return merged.Caps;
        }
    }

    public SendCalendar CalendarFor(Subscriber subscriber, IEnumerable<OutboxEntry> entries)
    {
        var calendar = new SendCalendar(planning.TimeZoneFor(subscriber.TimeZone), Caps.For(subscriber));
        foreach (var e in entries)
        {
            if (e.State == OutboxState.Sent)
            {
                calendar.Add(e.SentAt ?? e.DueAt);
            }
            else if (e.IsOpen)
            {
                calendar.Add(e.DueAt);
            }
        }
        return calendar;
    }

    /// <summary>The new sends for one subscriber, given every send they already have (sent or planned).</summary>
    public IReadOnlyList<OutboxEntry> Plan(Subscriber subscriber, IReadOnlyList<OutboxEntry> existing, DateTimeOffset now, TimeSpan? horizon = null)
    {
        var until = now + (horizon is { } h && h > caps.Horizon ? h : caps.Horizon);
        if (!subscriber.IsMailable)
        {
            return [];
        }
        var calendar = CalendarFor(subscriber, existing);
        var known = existing.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var added = new List<OutboxEntry>();
        foreach (var trigger in library.Dates.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            PlanDate(trigger, subscriber, calendar, known, added, now);
        }
        foreach (var program in library.Programs.Where(p => !subscriber.OptedOutPrograms.Contains(p.Id)).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            if (program.Mode == ProgramMode.Evergreen)
            {
                PlanEvergreen(program, subscriber, existing, calendar, added, now, until);
            }
            else
            {
                PlanBroadcast(program, subscriber, calendar, known, added, now, until);
            }
        }
        return added;
    }

    private static void PlanDate(DateTrigger trigger, Subscriber subscriber, SendCalendar calendar, HashSet<string> known, List<OutboxEntry> added, DateTimeOffset now)
    {
        var today = LocalTime.DateIn(now, calendar.Zone);
        foreach (var (sendOn, year, years) in trigger.Occurrences(subscriber, today, LocalTime.DateIn(now + DateHorizon, calendar.Zone)))
        {
            var key = $"date:{trigger.Id}:{subscriber.Id:N}:{year}";
            if (!known.Add(key))
            {
                continue;
            }
            var dayStart = LocalTime.ToInstant(sendOn.ToDateTime(TimeOnly.MinValue), calendar.Zone);
            var slot = SlotFinder.Find(calendar, trigger.Window, Max(now, dayStart), key, "date");
            var data = new Dictionary<string, string>(StringComparer.Ordinal);
            if (years > 0)
            {
                data["years"] = years.ToString(CultureInfo.InvariantCulture);
            }
            if (trigger.DiscountCode)
            {
                data["discount_code"] = DiscountCode(trigger.Id, subscriber.Id, year);
            }
            var on = trigger.Field is null ? "every year" : $"{trigger.Field} {sendOn:dd MMM}";
            Add(added, calendar, OutboxEntry.Create(key, subscriber.Id, trigger.LetterId, $"date:{trigger.Id}", slot.At, urgent: false, now),
                $"date letter '{trigger.Name}' ({on}{(trigger.DaysBefore > 0 ? $", {trigger.DaysBefore} days before" : "")}); {slot.Why}", slot, data);
        }
    }

    private void PlanEvergreen(NewsletterProgram program, Subscriber subscriber, IReadOnlyList<OutboxEntry> existing,
        SendCalendar calendar, List<OutboxEntry> added, DateTimeOffset now, DateTimeOffset until)
    {
        var source = $"program:{program.Id}";
        var mine = existing.Where(e => e.Source == source).ToList();
        var times = mine.Select(e => e.SentAt ?? e.DueAt).ToList();
        var position = mine.Count == 0 ? 0 : mine.Max(e => Position(e.Id)) + 1;
        var joined = subscriber.ConsentAt ?? subscriber.CreatedAt;
        var cursor = Max(now, joined);
        if (times.Count > 0)
        {
            cursor = Max(cursor, times.Max());
        }
        while (program.At(position) is { } next)
        {
            var key = ProgramKey(program, subscriber, position);
            var slot = PlaceInWeek(program, next, calendar, times, cursor, key);
            if (slot.At > until)
            {
                return;
            }
            var why = $"{program.Name}, letter {position + 1}: {next.Why}; {slot.Why}";
            Add(added, calendar, OutboxEntry.Create(key, subscriber.Id, next.LetterId, source, slot.At, urgent: false, now), why, slot);
            times.Add(slot.At);
            cursor = slot.At;
            position++;
        }
    }

    private void PlanBroadcast(NewsletterProgram program, Subscriber subscriber, SendCalendar calendar, HashSet<string> known,
        List<OutboxEntry> added, DateTimeOffset now, DateTimeOffset until)
    {
        var source = $"program:{program.Id}";
        var week = SendCalendar.Monday(LocalTime.DateIn(now, calendar.Zone));
        var last = now;
        for (; LocalTime.ToInstant(week.ToDateTime(TimeOnly.MinValue), calendar.Zone) <= until; week = week.AddDays(7))
        {
            var issue = (week.DayNumber - program.Start!.Value.DayNumber) / 7;
            if (issue < 0)
            {
                continue;
            }
            for (var k = 0; k < program.LettersPerWeek; k++)
            {
                var position = issue * program.LettersPerWeek + k;
                var key = ProgramKey(program, subscriber, position);
                if (known.Contains(key))
                {
                    continue;
                }
                if (program.At(position) is not { } next)
                {
                    return;
                }
                var weekStart = LocalTime.ToInstant(week.ToDateTime(TimeOnly.MinValue), calendar.Zone);
                var letter = library.FindLetter(next.LetterId)!;
                var (window, name) = program.WindowFor(letter);
                var slot = SlotFinder.Find(calendar, window, Max(Max(now, weekStart), last), key, name);
                if (slot.At > until)
                {
                    return;
                }
                if (SendCalendar.Monday(LocalTime.DateIn(slot.At, calendar.Zone)) != week)
                {
                    continue; // this week's window has passed for them: a broadcast issue is never sent late
                }
                var why = $"{program.Name}, issue of week {issue + 1}, letter {k + 1}: {next.Why}; {slot.Why}";
                Add(added, calendar, OutboxEntry.Create(key, subscriber.Id, next.LetterId, source, slot.At, urgent: false, now), why, slot);
                known.Add(key);
                last = slot.At;
            }
        }
    }

    /// <summary>
    /// The first slot at or after the cursor in the letter's window, allowed by the caps, in a local week
    /// that still has room under the program's letters-per-week.
    /// </summary>
    private Slot PlaceInWeek(NewsletterProgram program, ProgramLetter next, SendCalendar calendar, List<DateTimeOffset> programTimes,
        DateTimeOffset cursor, string key)
    {
        var letter = library.FindLetter(next.LetterId)!;
        var (window, name) = program.WindowFor(letter);
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var slot = SlotFinder.Find(calendar, window, cursor, key, name);
            var monday = SendCalendar.Monday(LocalTime.DateIn(slot.At, calendar.Zone));
            if (programTimes.Count(t => SendCalendar.Monday(LocalTime.DateIn(t, calendar.Zone)) == monday) < program.LettersPerWeek)
            {
                return slot;
            }
            cursor = LocalTime.ToInstant(monday.AddDays(7).ToDateTime(TimeOnly.MinValue), calendar.Zone);
        }
        throw new InvalidOperationException($"{program.Id}: no week with room for {next.LetterId}");
    }

    private static void Add(List<OutboxEntry> added, SendCalendar calendar, OutboxEntry entry, string why, Slot slot, Dictionary<string, string>? data = null)
    {
        entry.Reason = why;
        entry.Window = slot.Window.ToString();
        entry.Data = data is { Count: > 0 } ? data : null;
        calendar.Add(entry.DueAt);
        added.Add(entry);
    }

    public static string ProgramKey(NewsletterProgram program, Subscriber subscriber, int position) =>
        $"program:{program.Id}:{subscriber.Id:N}:{position}";

    private static int Position(string key) => int.Parse(key[(key.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>A short code unique to the person, the occasion and the year: the same every time it is planned.</summary>
    private static string DiscountCode(string trigger, Guid subscriber, int year)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{trigger}:{subscriber:N}:{year}"));
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var code = new StringBuilder(trigger.Length > 4 ? trigger[..4].ToUpperInvariant() : trigger.ToUpperInvariant()).Append('-');
        for (var i = 0; i < 6; i++)
        {
            code.Append(alphabet[hash[i] % alphabet.Length]);
        }
        return code.ToString();
    }
}
