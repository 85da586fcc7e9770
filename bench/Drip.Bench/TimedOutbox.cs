using System.Diagnostics;
using Drip.Outbox;

namespace Drip.Bench;

/// <summary>An outbox that measures how long the planning pass spends writing, so the bench can split a pass into reading and planning versus writing.</summary>
internal sealed class TimedOutbox(IOutboxStore inner) : IOutboxStore
{
    private readonly Stopwatch _writing = new();

    public TimeSpan Writing => _writing.Elapsed;

    public int Enqueue(IReadOnlyCollection<OutboxEntry> entries)
    {
        _writing.Start();
        try
        {
            return inner.Enqueue(entries);
        }
        finally
        {
            _writing.Stop();
        }
    }

    public IReadOnlyList<OutboxEntry> ClaimDue(DateTimeOffset now, int max, DateTimeOffset leaseUntil) => inner.ClaimDue(now, max, leaseUntil);

    public int ReleaseClaims(DateTimeOffset now) => inner.ReleaseClaims(now);

    public int Remove(IEnumerable<string> ids) => inner.Remove(ids);

    public void Update(OutboxEntry entry) => inner.Update(entry);

    public void Update(IReadOnlyCollection<OutboxEntry> entries) => inner.Update(entries);

    public OutboxEntry? Find(string id) => inner.Find(id);

    public IReadOnlyList<OutboxEntry> ForSubscriber(Guid subscriberId) => inner.ForSubscriber(subscriberId);

    public IReadOnlyDictionary<Guid, List<OutboxEntry>> ForSubscribers(IReadOnlyCollection<Guid> subscriberIds) => inner.ForSubscribers(subscriberIds);

    public IEnumerable<OutboxEntry> Upcoming(DateTimeOffset earliest, DateTimeOffset latest) => inner.Upcoming(earliest, latest);

    public DateTimeOffset? NextReadyAt() => inner.NextReadyAt();

    public IEnumerable<OutboxEntry> Sent() => inner.Sent();

    public IReadOnlyDictionary<OutboxState, int> CountByState() => inner.CountByState();
}
