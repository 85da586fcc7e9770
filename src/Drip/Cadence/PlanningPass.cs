using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.Cadence;

/// <summary>
/// One pass of the cadence planner over every mailable subscriber, streamed in pages: reads each one's
/// sends, asks <see cref="CadencePlanner"/> for the next ones up to the horizon, and writes to the outbox
/// those due within <see cref="FrequencyCaps.WriteAhead"/>. The rest of the week is decided the same way
/// on every pass (the planner is deterministic) and written when its day comes near, so a pass over a
/// large list writes a day of letters, not a week. Safe to run again at any time: keys make repeated
/// planning add nothing.
/// </summary>
public sealed class PlanningPass(ISubscriberStore subscribers, IOutboxStore outbox, CadencePlanner planner, Pauses pauses,
    FrequencyCaps caps, TimeProvider clock)
{
    // LiteDB pays heavily per commit: 20,000 sends a transaction wrote three times faster than 2,000 (bench).
    private const int BatchSize = 20_000;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastRun = DateTimeOffset.MinValue;

    /// <summary>How many sends the passes so far decided, written or not (for the benchmark).</summary>
    public long Decided { get; private set; }

    /// <summary>Runs a pass for everyone when <paramref name="every"/> has passed since the last one; returns sends added.</summary>
    public int RunIfDue(TimeSpan every)
    {
        lock (_gate)
        {
            return clock.GetUtcNow() - _lastRun >= every ? Run() : 0;
        }
    }

    /// <summary>Plans for everyone (or the given subscriber); returns how many sends were written.</summary>
    public int Run(Guid? only = null)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (only is null)
            {
                _lastRun = now;
                pauses.ResumeDue();
            }
            var added = 0;
            var people = only is { } id
                ? (subscribers.Find(id) is { } one ? [one] : [])
                : subscribers.Stream(SubscriberFilter.Mailable);
            // Sends are written in large batches: one transaction per subscriber made the store, not the planner, the limit.
            var batch = new List<OutboxEntry>(BatchSize);
            var writeUntil = now + caps.WriteAhead;
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            foreach (var page in people.Chunk(1000))
            {
                // Planning is independent per subscriber and makes up most of a pass, so it runs on every
                // core; the page's sends are read in one go, and writing stays one batch at a time.
                var sends = outbox.ForSubscribers(page.Select(s => s.Id).ToList());
                Parallel.ForEach(page, parallel, subscriber =>
                {
                    var planned = planner.Plan(subscriber, sends.TryGetValue(subscriber.Id, out var theirs) ? theirs : [], now);
                    lock (batch)
                    {
                        Decided += planned.Count;
                        batch.AddRange(planned.Where(e => e.DueAt <= writeUntil));
                    }
                });
                if (batch.Count >= BatchSize)
                {
                    // Not overlapped with the next pages' reads: LiteDB 5.0.20 corrupted a read that ran
                    // beside a write transaction ("page type must be index page") at a million subscribers.
                    added += Write(batch);
                }
            }
            return added + Write(batch);
        }
    }

    private int Write(List<OutboxEntry> batch)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        // In key order: the store's indexes take ascending keys about twice as fast as shuffled ones (bench),
        // and the keys of one pass already ascend page by page with the subscriber ids they contain.
        batch.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var added = outbox.Enqueue(batch);
        batch.Clear();
        return added;
    }
}
