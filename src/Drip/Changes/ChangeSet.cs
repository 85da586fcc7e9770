using Drip.Feedback;
using Drip.History;
using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.Changes;

/// <summary>
/// Writes that belong together (a subscriber's new status with its timeline line and suppression; a send's outcome
/// with its line), handed to the store as one: all of it is written, or none. Several change sets are merged into
/// one write by <see cref="GroupCommit"/>.
/// </summary>
public sealed class ChangeSet
{
    /// <summary>Subscriber records to save whole (insert or replace).</summary>
    public List<Subscriber> Subscribers { get; } = [];

    /// <summary>Outbox entries whose new state is to be written.</summary>
    public List<OutboxEntry> Sends { get; } = [];

    /// <summary>Timeline lines to append.</summary>
    public List<HistoryEntry> Lines { get; } = [];

    /// <summary>Addresses to suppress (insert or replace by hash).</summary>
    public List<Suppression> Suppressions { get; } = [];

    /// <summary>Address hashes whose suppression is lifted (someone who unsubscribed coming back).</summary>
    public List<string> Lifted { get; } = [];

    /// <summary>Additions to per-letter counts.</summary>
    public List<LetterCount> Counts { get; } = [];

    public bool IsEmpty => Subscribers.Count + Sends.Count + Lines.Count + Suppressions.Count + Lifted.Count + Counts.Count == 0;

    /// <summary>Adds everything in this set to <paramref name="group"/>.</summary>
    public void AddTo(ChangeSet group)
    {
        group.Subscribers.AddRange(Subscribers);
        group.Sends.AddRange(Sends);
        group.Lines.AddRange(Lines);
        group.Suppressions.AddRange(Suppressions);
        group.Lifted.AddRange(Lifted);
        group.Counts.AddRange(Counts);
    }
}

/// <summary>An addition to one letter's count of one metric (its all-time count and the current week's).</summary>
public readonly record struct LetterCount(string LetterId, LetterMetric Metric, int By = 1);

/// <summary>What the engine needs from the store to write a <see cref="ChangeSet"/> atomically.</summary>
public interface IChangeWriter
{
    void Write(ChangeSet changes);
}
