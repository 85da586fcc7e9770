using LiteDB;

namespace Drip.Storage;

/// <summary>What <see cref="StoreCheck"/> found: how many records of each kind, and every inconsistency.</summary>
public sealed record StoreCheckReport(IReadOnlyDictionary<string, int> Counts, IReadOnlyList<string> Problems)
{
    public bool IsSound => Problems.Count == 0;
}

/// <summary>
/// Drip's own integrity check of the store (<c>drip check</c>), run after a crash or before a backup is trusted.
/// LiteDB has no such check of its own. This one reads every document of every collection through the primary index
/// and by a full scan (the two must agree), reads the records Drip depends on as their types, checks each subscriber
/// is found again through the email index, and that every send belongs to a subscriber who exists.
/// </summary>
public static class StoreCheck
{
    public static StoreCheckReport Run(DripDatabase store) => store.Read(() =>
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var name in store.Database.GetCollectionNames().Order(StringComparer.Ordinal))
        {
            var collection = store.Database.GetCollection(name);
            var scanned = 0;
            try
            {
                foreach (var _ in collection.FindAll())
                {
                    scanned++;
                }
            }
            catch (LiteException e)
            {
                problems.Add($"{name}: reading stopped after {scanned} documents: {e.Message}");
            }
            var counted = collection.Count();
            if (counted != scanned)
            {
                problems.Add($"{name}: the primary index counts {counted} documents, a scan finds {scanned}");
            }
            counts[name] = scanned;
        }

        var subscriberIds = new HashSet<Guid>();
        Typed(problems, "subscribers", () =>
        {
            foreach (var s in store.Subscribers.FindAll())
            {
                subscriberIds.Add(s.Id);
                var found = store.Subscribers.Count(BsonExpression.Create("$.EmailKey = @0", s.EmailKey));
                if (found != 1)
                {
                    problems.Add($"subscribers: {s.Id} is found {found} times through the email index (expected once)");
                }
            }
        });
        Typed(problems, "outbox", () =>
        {
            foreach (var e in store.Outbox.FindAll())
            {
                if (!subscriberIds.Contains(e.SubscriberId))
                {
                    problems.Add($"outbox: {e.Id} belongs to subscriber {e.SubscriberId}, who is not in the store");
                }
            }
        });
        Typed(problems, "history", () => store.History.FindAll().Count());
        Typed(problems, "events", () => store.Events.FindAll().Count());
        return new StoreCheckReport(counts, problems);
    });

    private static void Typed(List<string> problems, string collection, Action read)
    {
        try
        {
            read();
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or FormatException or ArgumentException)
        {
            problems.Add($"{collection}: a record does not read as Drip's own: {e.Message}");
        }
    }

    private static void Typed(List<string> problems, string collection, Func<int> read) => Typed(problems, collection, () => { read(); });
}
