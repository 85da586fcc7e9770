namespace Drip.Subscribers;

/// <summary>What the engine needs from wherever subscribers are kept.</summary>
public interface ISubscriberStore
{
    Subscriber? Find(Guid id);

    Subscriber? FindByEmail(string email);

    /// <summary>The subscribers with any of these addresses, in one read, keyed by <see cref="EmailAddress.Key"/>.</summary>
    IReadOnlyDictionary<string, Subscriber> FindByEmails(IReadOnlyCollection<string> emails);

    /// <summary>The subscribers with any of these ids, in one read.</summary>
    IReadOnlyDictionary<Guid, Subscriber> FindMany(IReadOnlyCollection<Guid> ids);

    /// <summary>Inserts or replaces the given subscribers in one transaction.</summary>
    void Save(IReadOnlyCollection<Subscriber> subscribers);

    /// <summary>
    /// Adds new subscribers and replaces changed ones in one transaction, the way an import writes a batch. Throws
    /// <see cref="AddressTakenException"/>, having written nothing, if an added subscriber's address is already held.
    /// </summary>
    void Save(IReadOnlyCollection<Subscriber> added, IReadOnlyCollection<Subscriber> changed);

    /// <summary>Streams the subscribers matching a filter in id order, never the whole list at once.</summary>
    IEnumerable<Subscriber> Stream(SubscriberFilter filter);

    /// <summary>One page of a search in id order, read through an index where the query allows (see <see cref="SubscriberQuery"/>).</summary>
    SubscriberPage Search(SubscriberQuery query);

    int Count();

    /// <summary>How many subscribers have each status (the rare ones through the status index, the active as the rest).</summary>
    IReadOnlyDictionary<SubscriberStatus, int> CountByStatus();

    /// <summary>Deletes the record itself (erasure); the suppression list keeps what must be kept.</summary>
    bool Delete(Guid id);
}
