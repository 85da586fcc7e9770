namespace Drip.History;

/// <summary>One thing that happened to a subscriber: imported, event recorded, letter sent, deferred, bounced, unsubscribed.</summary>
public sealed class HistoryEntry
{
    public Guid Id { get; set; }

    /// <summary>
    /// A new id for a line written at <paramref name="at"/>. Time-ordered (UUIDv7, as <see cref="Subscribers.Subscriber.NewId"/>), so
    /// lines written together sit together in the store's id index: random ids sent each of a batch's 500 lines to a
    /// different page of an index that grows by a line per letter sent.
    /// </summary>
    public static Guid NewId(DateTimeOffset at) => Guid.CreateVersion7(at < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : at); // v7 has no time before 1970

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
    /// <summary>Written for sent letters before the send itself kept their subject; stores made since hold none.</summary>
    LetterSent,
    LetterDeferred,
    LetterBounced,
    LetterFailed,
    LetterSkipped,
    Unsubscribed,
    Paused,
    Resumed,
    Resubscribed,

    /// <summary>The address was taken off the list for bounces (hard, or too many soft ones).</summary>
    Bounced,
    Complained,
    Purged,

    /// <summary>A soft bounce or a delay report: counted toward the soft-bounce limit.</summary>
    SoftBounce,
    PreferencesChanged,
    Confirmed,
    Opened,
    Clicked,
    ReengagementPlanned,
}

/// <summary>What the engine needs from wherever the timelines are kept.</summary>
public interface IHistoryStore
{
    void Append(HistoryEntry entry);

    /// <summary>Appends many entries in one write (the dispatcher records a group of sends at once).</summary>
    void Append(IReadOnlyCollection<HistoryEntry> entries);

    IReadOnlyList<HistoryEntry> ForSubscriber(Guid subscriberId);

    /// <summary>Deletes a subscriber's whole timeline (erasure).</summary>
    void DeleteFor(Guid subscriberId);
}
