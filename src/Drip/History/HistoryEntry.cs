namespace Drip.History;

/// <summary>One thing that happened to a subscriber: imported, event recorded, letter sent, deferred, bounced, unsubscribed.</summary>
public sealed class HistoryEntry
{
    public Guid Id { get; set; }

    public Guid SubscriberId { get; set; }

    public DateTimeOffset At { get; set; }

    public HistoryKind Kind { get; set; }

    public string Detail { get; set; } = "";

    /// <summary>The send this is about, when it is about one.</summary>
    public string? OutboxId { get; set; }
}

/// <summary>The kinds of things a subscriber's timeline records.</summary>
public enum HistoryKind
{
    Subscribed,
    EventRecorded,
    LetterSent,
    LetterDeferred,
    LetterBounced,
    LetterFailed,
    LetterSkipped,
    Unsubscribed,
    Paused,
    Resumed,
}

/// <summary>What the engine needs from wherever the timelines are kept.</summary>
public interface IHistoryStore
{
    void Append(HistoryEntry entry);

    IReadOnlyList<HistoryEntry> ForSubscriber(Guid subscriberId);
}
