namespace Drip.Events;

/// <summary>
/// Something that happened to a subscriber and may start sequences: a sale, a sign-up, a promotion.
/// Stored before it is planned, so a crash between recording and planning loses nothing.
/// </summary>
public sealed class TriggerEvent
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public Guid SubscriberId { get; set; }

    /// <summary>When it happened (a sale closed yesterday can be recorded today); sequence delays count from here.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public Dictionary<string, string> Data { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the sequences it triggers have been written to the outbox.</summary>
    public bool Planned { get; set; }
}

/// <summary>What the engine needs from wherever events are kept.</summary>
public interface IEventStore
{
    void Add(TriggerEvent e);

    IReadOnlyList<TriggerEvent> Unplanned(int max);

    void MarkPlanned(Guid id);

    /// <summary>One subscriber's events in the order they happened (their timeline).</summary>
    IReadOnlyList<TriggerEvent> ForSubscriber(Guid subscriberId);

    /// <summary>Deletes every event of one subscriber (erasure).</summary>
    void DeleteFor(Guid subscriberId);
}
