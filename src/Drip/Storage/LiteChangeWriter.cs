using Drip.Changes;
using Drip.Feedback;

namespace Drip.Storage;

/// <summary>Writes a <see cref="ChangeSet"/> to LiteDB in one transaction.</summary>
public sealed class LiteChangeWriter(DripDatabase db, TimeProvider clock) : IChangeWriter
{
    public void Write(ChangeSet changes)
    {
        if (changes.IsEmpty)
        {
            return;
        }
        LiteHistoryStore.GiveIds(changes.Lines);
        var now = clock.GetUtcNow();
        db.MaySuppress.Add(changes.Suppressions.Select(s => s.Id));
        db.WriteSends(changes.Sends.Select(s => s.Id), () => Store(changes, now));
        // Only once stored: a reader that finds no entry here and read before the commit is told by the entry after it.
        db.Changes.Subscribers(changes.Subscribers.Select(s => s.Id));
        db.Changes.Addresses(changes.Suppressions.Select(s => s.Id).Concat(changes.Lifted));
    }

    private int Store(ChangeSet changes, DateTimeOffset now)
    {
        // The sends first: a send's state is what stops it going out twice.
        if (changes.Sends.Count > 0)
        {
            db.Outbox.Update(changes.Sends);
        }
        if (changes.Subscribers.Count > 0)
        {
            db.Subscribers.Upsert(changes.Subscribers);
        }
        // Lifted before the new ones are written: within one group, an address suppressed after it came back stays suppressed.
        foreach (var hash in changes.Lifted)
        {
            db.Suppressions.Delete(hash);
        }
        if (changes.Suppressions.Count > 0)
        {
            db.Suppressions.Upsert(changes.Suppressions);
        }
        if (changes.Lines.Count > 0)
        {
            db.History.InsertBulk(changes.Lines);
        }
        // One increment per letter and metric, however many callers the group holds.
        var sums = new Dictionary<(string, LetterMetric), int>();
        foreach (var count in changes.Counts)
        {
            sums[(count.LetterId, count.Metric)] = sums.GetValueOrDefault((count.LetterId, count.Metric)) + count.By;
        }
        foreach (var ((letterId, metric), by) in sums)
        {
            LiteLetterStatsStore.Increment(db, letterId, metric, by, now);
        }
        return 0;
    }
}
