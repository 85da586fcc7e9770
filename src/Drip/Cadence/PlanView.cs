using System.Globalization;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Subscribers;

namespace Drip.Cadence;

/// <summary>One line of the plan: on a local day, in a window, this letter goes to so many people.</summary>
public sealed record PlanRow(DateOnly Day, string Window, string LetterId, string Kind, string Source, int Subscribers);

/// <summary>One planned letter for one person, and why it is where it is.</summary>
public sealed record PlannedLetter(DateTimeOffset LocalTime, string LetterId, string Kind, string Source, string Why);

/// <summary>One person who gets a letter on a day of the plan.</summary>
public sealed record PlannedRecipient(Guid SubscriberId, string Email, DateTimeOffset LocalTime, string Window, string LetterId, string Kind, string Source);

/// <summary>A page of the people who get what on a day, and how many there are in all.</summary>
public sealed record RecipientPage(IReadOnlyList<PlannedRecipient> Rows, int Total);

/// <summary>
/// What is planned for the next days: the sends already in the outbox plus those the planner decides
/// for later (computed here exactly as the scheduler will, and written by nobody). Days and windows are each
/// subscriber's own local ones. Subscribers are read a page at a time, so a large list is never held in memory.
/// </summary>
public sealed class PlanView(CadencePlanner planner, IOutboxStore outbox, ISubscriberStore subscribers, TemplateLibrary library,
    PlanningOptions planning, TimeProvider clock)
{
    private const int PageSize = 1000;

    /// <summary>Per subscriber-local day and sending window: which letters go to how many people.</summary>
    public IReadOnlyList<PlanRow> Summary(int days)
    {
        var counts = new Dictionary<(DateOnly Day, string Window, string LetterId, string Source), int>();
        foreach (var p in Placed(days))
        {
            var key = (p.Day, p.Window, p.Entry.LetterId, p.Entry.Source);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts
            .Select(kv => new PlanRow(kv.Key.Day, kv.Key.Window, kv.Key.LetterId, KindOf(kv.Key.LetterId), kv.Key.Source, kv.Value))
            .OrderBy(r => r.Day).ThenBy(r => r.Window, StringComparer.Ordinal).ThenBy(r => r.LetterId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Who gets a letter on a local <paramref name="day"/> of the next <paramref name="days"/>, optionally only in one
    /// window (as <see cref="PlanRow.Window"/> names it) and of one letter: the page [skip, skip + take) in list order,
    /// and the total, counted without keeping the rest.
    /// </summary>
    public RecipientPage Recipients(DateOnly day, string? window, string? letterId, int days, int skip, int take)
    {
        var rows = new List<PlannedRecipient>();
        var total = 0;
        foreach (var p in Placed(days))
        {
            if (p.Day != day || (window is not null && p.Window != window) || (letterId is not null && p.Entry.LetterId != letterId))
            {
                continue;
            }
            if (total >= skip && rows.Count < take)
            {
                rows.Add(new PlannedRecipient(p.Subscriber.Id, p.Subscriber.Email, p.Local, p.Window, p.Entry.LetterId, KindOf(p.Entry.LetterId), p.Entry.Source));
            }
            total++;
        }
        return new RecipientPage(rows, total);
    }

    /// <summary>The next letters for one person, in their local time, with the rules that placed each.</summary>
    public IReadOnlyList<PlannedLetter> For(string email, int days)
    {
        var subscriber = subscribers.FindByEmail(email) ?? throw new KeyNotFoundException($"no subscriber with email '{email}'");
        var zone = planning.TimeZoneFor(subscriber.TimeZone);
        return Upcoming(subscriber, outbox.ForSubscriber(subscriber.Id), days)
            .Select(e => new PlannedLetter(TimeZoneInfo.ConvertTime(e.DueAt, zone), e.LetterId, KindOf(e.LetterId), e.Source, e.Reason ?? ""))
            .ToList();
    }

    /// <summary>The window's hours as the plan names them: <c>10:00-12:00</c>.</summary>
    public static string WindowLabel(SendingWindow window) => Hours(window.Start, window.End);

    public static string Hours(TimeOnly start, TimeOnly end) =>
        string.Create(CultureInfo.InvariantCulture, $"{start:HH\\:mm}-{end:HH\\:mm}");

    private IEnumerable<Placement> Placed(int days)
    {
        foreach (var page in subscribers.Stream(SubscriberFilter.Mailable).Chunk(PageSize))
        {
            var sends = outbox.ForSubscribers(page.Select(s => s.Id).ToList());
            foreach (var s in page)
            {
                var zone = planning.TimeZoneFor(s.TimeZone);
                foreach (var e in Upcoming(s, sends.TryGetValue(s.Id, out var theirs) ? theirs : [], days))
                {
                    var local = TimeZoneInfo.ConvertTime(e.DueAt, zone);
                    // Entry windows read "Tue-Thu 10:00-12:00" (programs) or "10:00-12:00" (sequences): the plan names the hours.
                    var window = e.Window is { } w ? w[(w.IndexOf(' ', StringComparison.Ordinal) + 1)..] : $"at {local:HH}:00";
                    yield return new Placement(s, e, local, DateOnly.FromDateTime(local.DateTime), window);
                }
            }
        }
    }

    private IEnumerable<OutboxEntry> Upcoming(Subscriber subscriber, IReadOnlyList<OutboxEntry> existing, int days)
    {
        var now = clock.GetUtcNow();
        var until = now.AddDays(days);
        var decided = subscriber.IsMailable ? planner.Plan(subscriber, existing, now, until - now) : [];
        return existing.Where(e => e.State is OutboxState.Due or OutboxState.Deferred)
            .Concat(decided)
            .Where(e => e.DueAt >= now && e.DueAt <= until)
            .OrderBy(e => e.DueAt);
    }

    private string KindOf(string letterId) =>
        library.FindLetter(letterId)?.Kind ?? "?";

    public static string Format(DateTimeOffset local) => local.ToString("ddd d MMM HH:mm zzz", CultureInfo.InvariantCulture);

    private sealed record Placement(Subscriber Subscriber, OutboxEntry Entry, DateTimeOffset Local, DateOnly Day, string Window);
}
