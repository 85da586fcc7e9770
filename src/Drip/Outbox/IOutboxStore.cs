namespace Drip.Outbox;

/// <summary>What the planner and dispatcher need from wherever sends are kept.</summary>
public interface IOutboxStore
{
    /// <summary>Inserts the entries whose key is new; returns how many were new. Existing keys are left untouched.</summary>
    int Enqueue(IReadOnlyCollection<OutboxEntry> entries);

    /// <summary>
    /// Atomically takes up to <paramref name="max"/> entries whose time has come (due, deferred, or claimed
    /// with a lapsed lease), marks them claimed until <paramref name="leaseUntil"/>, and returns them. A claim lasts until the
    /// send's new state is written. A store one process owns may hold claims in memory instead of writing them (the LiteDB
    /// store does): after a crash every claim goes back to the queue anyway, and readers still see a held send as claimed.
    /// </summary>
    IReadOnlyList<OutboxEntry> ClaimDue(DateTimeOffset now, int max, DateTimeOffset leaseUntil);

    /// <summary>Returns every entry still claimed (left by a process that stopped, or held by this one) to the queue; returns how many.</summary>
    int ReleaseClaims(DateTimeOffset now);

    /// <summary>Deletes sends that have not gone out (a paused program's letters, to be planned again on resume).</summary>
    int Remove(IEnumerable<string> ids);

    /// <summary>Writes an entry's new state.</summary>
    void Update(OutboxEntry entry);

    /// <summary>Writes many entries' new states in one transaction: all of them, or none.</summary>
    void Update(IReadOnlyCollection<OutboxEntry> entries);

    OutboxEntry? Find(string id);

    IReadOnlyList<OutboxEntry> ForSubscriber(Guid subscriberId);

    /// <summary>
    /// The sends of many subscribers at once, in due order per subscriber (a planning pass reads a page of
    /// subscribers this way: one range read instead of a thousand lookups). Subscribers without sends are absent.
    /// </summary>
    IReadOnlyDictionary<Guid, List<OutboxEntry>> ForSubscribers(IReadOnlyCollection<Guid> subscriberIds);

    /// <summary>Open sends (due or deferred) whose time falls in [earliest, latest], in time order.</summary>
    IEnumerable<OutboxEntry> Upcoming(DateTimeOffset earliest, DateTimeOffset latest);

    /// <summary>When the dispatcher next has something to look at, or null when nothing is open.</summary>
    DateTimeOffset? NextReadyAt();

    /// <summary>Every send that went out, in no particular order.</summary>
    IEnumerable<OutboxEntry> Sent();

    IReadOnlyDictionary<OutboxState, int> CountByState();
}
