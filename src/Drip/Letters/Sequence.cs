namespace Drip.Letters;

/// <summary>
/// A drip sequence from <c>templates/sequences/</c>: an event name that starts it and ordered steps,
/// each a letter sent a delay after the event.
/// </summary>
public sealed class Sequence
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The event name that starts the sequence, e.g. <c>sale</c>.</summary>
    public required string Trigger { get; init; }

    public required IReadOnlyList<SequenceStep> Steps { get; init; }

    /// <summary>Local time of day window for steps delayed by whole days (default 10:00–12:00).</summary>
    public TimeOnly WindowStart { get; init; } = new(10, 0);

    public TimeOnly WindowEnd { get; init; } = new(12, 0);
}

/// <summary>One step of a sequence: which letter, how long after the trigger, and whether caps may hold it back.</summary>
public sealed record SequenceStep(int Index, string LetterId, DelayRange Delay, bool Urgent);
