using System.Globalization;
using Drip.Events;
using Drip.Outbox;

namespace Drip.History;

/// <summary>One line of a subscriber's timeline: when, what kind of thing, and what it was about.</summary>
public sealed record TimelineItem(DateTimeOffset At, string Kind, string Detail, string? LetterId = null);

/// <summary>
/// Everything that happened or will happen to one subscriber, in time order: letters planned (open sends in the
/// outbox), sent (the sends themselves, with their subject), opened, clicked, bounced (their history), and every event
/// they triggered. A send that has an outcome in the history (a bounce; a sent letter before sends kept their subject) is
/// shown by that outcome, so nothing appears twice.
/// </summary>
public sealed class SubscriberTimeline(IHistoryStore history, IOutboxStore outbox, IEventStore events)
{
    public IReadOnlyList<TimelineItem> For(Guid subscriberId)
    {
        var past = history.ForSubscriber(subscriberId);
        var told = past.Where(h => h.OutboxId is not null).Select(h => h.OutboxId!).ToHashSet(StringComparer.Ordinal);
        var sends = outbox.ForSubscriber(subscriberId).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var items = new List<TimelineItem>();
        // The event store has each event with its data and the time it happened; its history line would repeat it.
        items.AddRange(past.Where(h => h.Kind != HistoryKind.EventRecorded).Select(h =>
            new TimelineItem(h.At, Kind(h.Kind), h.Detail, h.OutboxId is not null && sends.TryGetValue(h.OutboxId, out var send) ? send.LetterId : null)));
        items.AddRange(sends.Values.Where(e => !told.Contains(e.Id)).Select(Planned));
        items.AddRange(events.ForSubscriber(subscriberId).Select(e => new TimelineItem(e.OccurredAt, "event", Describe(e))));
        return [.. items.OrderBy(i => i.At)];
    }

    private static TimelineItem Planned(OutboxEntry e) => e.State switch
    {
        OutboxState.Due or OutboxState.Claimed => new(e.DueAt, "letter-planned", Join($"{e.LetterId} from {e.Source}", e.Window, e.Reason), e.LetterId),
        OutboxState.Deferred => new(e.DueAt, "letter-deferred", Join($"{e.LetterId}: next attempt", e.LastError), e.LetterId),
        OutboxState.Sent => new(e.SentAt ?? e.DueAt, "letter-sent", e.Subject is null ? e.LetterId : $"{e.LetterId}: {e.Subject}", e.LetterId),
        _ => new(e.SentAt ?? e.DueAt, "letter-" + e.State.ToString().ToLowerInvariant(), Join(e.LetterId, e.LastError), e.LetterId),
    };

    private static string Describe(TriggerEvent e) =>
        e.Data.Count == 0 ? e.Name : $"{e.Name} ({string.Join(", ", e.Data.Select(kv => $"{kv.Key}={kv.Value}"))})";

    private static string Join(string head, params string?[] rest) =>
        string.Join("; ", new[] { head }.Concat(rest.Where(r => !string.IsNullOrWhiteSpace(r)))!);

    /// <summary>"LetterSent" → "letter-sent": the kind as the API and the page show it.</summary>
    private static string Kind(HistoryKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLower(c, CultureInfo.InvariantCulture) : char.ToLower(c, CultureInfo.InvariantCulture).ToString()));
}
