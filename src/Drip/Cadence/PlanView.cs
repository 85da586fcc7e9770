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

/// <summary>
/// What is planned for the next days: the sends already in the outbox plus those the planner decides
/// for later (computed here exactly as the scheduler will, and written by nobody).
/// </summary>
public sealed class PlanView(CadencePlanner planner, IOutboxStore outbox, ISubscriberStore subscribers, TemplateLibrary library,
    PlanningOptions planning, TimeProvider clock)
{
    /// <summary>Per subscriber-local day and sending window: which letters go to how many people.</summary>
    public IReadOnlyList<PlanRow> Summary(int days) =>
        subscribers.Stream(SubscriberFilter.Mailable)
            .SelectMany(s => Upcoming(s, days).Select(e =>
            {
                var local = TimeZoneInfo.ConvertTime(e.DueAt, planning.TimeZoneFor(s.TimeZone));
                var window = e.Window is { } w ? w[(w.IndexOf(' ', StringComparison.Ordinal) + 1)..] : $"at {local:HH}:00";
                return (Day: DateOnly.FromDateTime(local.DateTime), Window: window, e.LetterId, e.Source);
            }))
            .GroupBy(x => x)
            .Select(g => new PlanRow(g.Key.Day, g.Key.Window, g.Key.LetterId, KindOf(g.Key.LetterId), g.Key.Source, g.Count()))
            .OrderBy(r => r.Day).ThenBy(r => r.Window, StringComparer.Ordinal).ThenBy(r => r.LetterId, StringComparer.Ordinal)
            .ToList();

    /// <summary>The next letters for one person, in their local time, with the rules that placed each.</summary>
    public IReadOnlyList<PlannedLetter> For(string email, int days)
    {
        var subscriber = subscribers.FindByEmail(email) ?? throw new KeyNotFoundException($"no subscriber with email '{email}'");
        var zone = planning.TimeZoneFor(subscriber.TimeZone);
        return Upcoming(subscriber, days)
            .Select(e => new PlannedLetter(TimeZoneInfo.ConvertTime(e.DueAt, zone), e.LetterId, KindOf(e.LetterId), e.Source, e.Reason ?? ""))
            .ToList();
    }

    private IEnumerable<OutboxEntry> Upcoming(Subscriber subscriber, int days)
    {
        var now = clock.GetUtcNow();
        var until = now.AddDays(days);
        var existing = outbox.ForSubscriber(subscriber.Id);
        var decided = subscriber.IsMailable ? planner.Plan(subscriber, existing, now, until - now) : [];
        return existing.Where(e => e.State is OutboxState.Due or OutboxState.Deferred)
            .Concat(decided)
            .Where(e => e.DueAt >= now && e.DueAt <= until)
            .OrderBy(e => e.DueAt);
    }

    private string KindOf(string letterId) =>
        library.FindLetter(letterId)?.Kind ?? "?";

    public static string Format(DateTimeOffset local) => local.ToString("ddd d MMM HH:mm zzz", CultureInfo.InvariantCulture);
}
