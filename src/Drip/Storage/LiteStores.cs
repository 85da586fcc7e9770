using Drip.Accounts;
using Drip.Events;
using Drip.Feedback;
using Drip.History;
using Drip.Outbox;
using Drip.Subscribers;
using LiteDB;

namespace Drip.Storage;

/// <summary>Subscribers in LiteDB, unique on the lower-cased email.</summary>
public sealed class LiteSubscriberStore(DripDatabase db) : ISubscriberStore
{
    // A predicate string with a parameter: half the cost of a LINQ predicate per call, and it still uses
    // the index (Query.EQ did not: 174 s against 1.4 s for 100,000 lookups in our measurement).
    private const string ByEmailKey = "$.EmailKey = @0";
    private const string ByEmailKeys = "$.EmailKey IN @0";
    private static readonly string ByStatusAfter = LiteSubscriberSearch.WithStatus("@0") + " AND $._id > @1";
    private const string ByIds = "$._id IN @0";
    private const string ByIdRange = "$._id BETWEEN @0 AND @1";
    private const int NeighboursAtLeast = 16;

    public Subscriber? Find(Guid id) => db.Read(() => db.Subscribers.FindById(id));

    public Subscriber? FindByEmail(string email)
    {
        var key = EmailAddress.Key(email);
        return db.Read(() => db.Subscribers.FindOne(BsonExpression.Create(ByEmailKey, new BsonValue(key))));
    }

    public IReadOnlyDictionary<string, Subscriber> FindByEmails(IReadOnlyCollection<string> emails)
    {
        var keys = new BsonArray(emails.Select(EmailAddress.Key).Distinct(StringComparer.Ordinal).Select(k => new BsonValue(k)));
        return keys.Count == 0
            ? new Dictionary<string, Subscriber>()
            : db.Read(() => db.Subscribers.Find(BsonExpression.Create(ByEmailKeys, keys)).ToDictionary(s => s.EmailKey, StringComparer.Ordinal));
    }

    public IReadOnlyDictionary<Guid, Subscriber> FindMany(IReadOnlyCollection<Guid> ids)
    {
        var wanted = ids.ToHashSet();
        if (wanted.Count == 0)
        {
            return new Dictionary<Guid, Subscriber>();
        }
        return db.Read(() =>
        {
            if (NeighbourRange(wanted) is { } range)
            {
                return db.Subscribers.Find(range).Where(s => wanted.Contains(s.Id)).ToDictionary(s => s.Id);
            }
            var keys = new BsonArray(wanted.Select(id => new BsonValue(id)));
            return db.Subscribers.Find(BsonExpression.Create(ByIds, keys)).ToDictionary(s => s.Id);
        });
    }

    /// <summary>
    /// The id range to read the subscribers of <paramref name="wanted"/> in one walk, or null to seek them one by one. A
    /// broadcast's batch names neighbouring ids (the list was enqueued in id order), and IN seeks each id from the top of
    /// the id index: reading a batch's recipients that way allocated 20 KB more a letter and 2–3% more CPU (100,000
    /// letters, alternating runs). The range's keys are counted first, from the index alone and stopping past twice the
    /// batch, so scattered ids (a drip sequence's) are still read one by one. Call it inside a read.
    /// </summary>
    internal BsonExpression? NeighbourRange(IReadOnlyCollection<Guid> wanted)
    {
        if (wanted.Count < NeighboursAtLeast)
        {
            return null;
        }
        var range = BsonExpression.Create(ByIdRange, new BsonValue(wanted.Min()), new BsonValue(wanted.Max()));
        return db.Subscribers.Query().Where(range).Limit(2 * wanted.Count + 1).Count() <= 2 * wanted.Count ? range : null;
    }

    public void Save(IReadOnlyCollection<Subscriber> subscribers)
    {
        db.InTransaction(() => db.Subscribers.Upsert(subscribers));
        db.Changes.Subscribers(subscribers.Select(s => s.Id));
    }

    public void Save(IReadOnlyCollection<Subscriber> added, IReadOnlyCollection<Subscriber> changed)
    {
        try
        {
            // Insert, not upsert: an upsert first looks each new id up to update it, which an import of new people pays for
            // a million times. The unique email index refuses an address already held, and the transaction writes nothing.
            db.InTransaction(() => db.Subscribers.Insert(added) + db.Subscribers.Update(changed));
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw new AddressTakenException(e);
        }
        db.Changes.Subscribers(added.Concat(changed).Select(s => s.Id));
    }

    public IEnumerable<Subscriber> Stream(SubscriberFilter filter)
    {
        // Page by id so the cursor never holds the whole collection and writers are not blocked for long.
        var last = Guid.Empty;
        while (true)
        {
            // A range on _id alone, so LiteDB walks the primary index (the status index holds no active subscriber; when
            // it held everyone, adding the status to the query made LiteDB walk it and sort every page: quadratic).
            var from = last;
            var page = filter.Status is { } status and not SubscriberStatus.Active
                // Every status but Active is held by few, so its index finds them without walking everyone
                // (resuming pauses on each planning pass cost a full read of a million subscribers before).
                ? db.Read(() => db.Subscribers.Query().Where(BsonExpression.Create(ByStatusAfter, new BsonValue(status.ToString()), new BsonValue(from)))
                    .OrderBy(s => s.Id).Limit(1000).ToList())
                : db.Read(() => db.Subscribers.Query().Where(s => s.Id > from).OrderBy(s => s.Id).Limit(1000).ToList());
            if (page.Count == 0)
            {
                yield break;
            }
            foreach (var s in page.Where(filter.Matches))
            {
                yield return s;
            }
            last = page[^1].Id;
        }
    }

    public SubscriberPage Search(SubscriberQuery query) => new LiteSubscriberSearch(db, query).Run();

    public int Count() => db.Read(() => db.Subscribers.Count());

    public IReadOnlyDictionary<SubscriberStatus, int> CountByStatus() => db.Read(() =>
    {
        // The status index holds everyone but the active: they are the rest (one read, so the counts add up).
        var counts = Enum.GetValues<SubscriberStatus>().Where(s => s != SubscriberStatus.Active)
            .ToDictionary(s => s, s => LiteSubscriberSearch.HoldersOf(db, s).Count());
        counts[SubscriberStatus.Active] = db.Subscribers.Count() - counts.Values.Sum();
        return counts;
    });

    public bool Delete(Guid id)
    {
        var deleted = db.Write(() => db.Subscribers.Delete(id));
        db.Changes.Subscribers([id]);
        return deleted;
    }
}

/// <summary>The outbox in LiteDB; the open sends' <see cref="OutboxEntry.ReadyAt"/> is indexed so claiming reads only what is due.</summary>
public sealed class LiteOutboxStore(DripDatabase db) : IOutboxStore
{
    /// <summary>
    /// The ready-at index holds the open sends only (<see cref="OutboxEntry.IsOpen"/>: due, deferred, claimed): a closed
    /// send's expression gives no key (an empty list, as a multi-key index allows). Sent letters stay in the outbox, so the
    /// full index grew with the history, and closing each send moved its key to the far end of it: 10 KB allocated and
    /// 2–3% of the CPU of every letter sent (100,000 letters, alternating runs). Every read of it asks for open sends.
    /// </summary>
    public const string ReadyIndex = "OpenReadyAt";

    public static readonly string ReadyKey = BsonExpression.Create(
        $"ITEMS(IIF($.State = '{OutboxState.Due}' OR $.State = '{OutboxState.Deferred}' OR $.State = '{OutboxState.Claimed}', [$.ReadyAt], []))").Source;

    private const string BySubscriber = "$.SubscriberId = @0";
    private const string BySubscriberRange = "$.SubscriberId BETWEEN @0 AND @1";
    internal static readonly string ReadyBy = $"{ReadyKey} ANY <= @0";
    // One BETWEEN, not ">= AND <=": LiteDB would walk the index from the first bound to its end and filter on the second.
    internal static readonly string ReadyBetween = $"{ReadyKey} ANY BETWEEN @0 AND @1";
    private static readonly BsonExpression InReadyOrder = BsonExpression.Create(ReadyKey);

    public int Enqueue(IReadOnlyCollection<OutboxEntry> entries)
    {
        // Fast path: the planners make keys they have just checked are new, so try one bulk insert and
        // look each key up only when that meets a duplicate.
        try
        {
            return db.InTransaction(() => db.Outbox.InsertBulk(entries));
        }
        catch (LiteException e) when (e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            return EnqueueOneByOne(entries);
        }
    }

    private int EnqueueOneByOne(IReadOnlyCollection<OutboxEntry> entries) => db.InTransaction(() =>
    {
        var added = 0;
        foreach (var e in entries)
        {
            if (db.Outbox.FindById(e.Id) is null)
            {
                db.Outbox.Insert(e);
                added++;
            }
        }
        return added;
    });

    public IReadOnlyList<OutboxEntry> ClaimDue(DateTimeOffset now, int max, DateTimeOffset leaseUntil)
    {
        return db.Write(() =>
        {
            // A claim is held in memory (OutboxClaims), so the sends already held are still due in the store, and the
            // earliest: read past them. While one batch goes out and the one before is being stored, that is two batches
            // read past for each one taken, so a held send is skipped as a document, before it is made an object.
            var due = Ready(BsonExpression.Create(ReadyBy, new BsonValue(now.UtcDateTime))).Limit(max + db.Claims.Count).ToDocuments();
            var taken = new List<OutboxEntry>(max);
            foreach (var document in due)
            {
                if (taken.Count == max)
                {
                    break;
                }
                if (db.Claims.IsHeld(document["_id"].AsString, now))
                {
                    continue;
                }
                var send = db.Database.Mapper.ToObject<OutboxEntry>(document);
                if (db.Claims.TryTake(send, now, leaseUntil))
                {
                    taken.Add(send);
                }
            }
            return taken;
        });
    }

    public int ReleaseClaims(DateTimeOffset now) => db.Write(() =>
    {
        // Claims found in the store (written before claims were held in memory, or a claimed send written back as it was),
        // then those this process holds.
        var stored = db.Outbox.Find(e => e.State == OutboxState.Claimed).ToList();
        foreach (var e in stored)
        {
            e.State = e.Attempts > 0 ? OutboxState.Deferred : OutboxState.Due;
            e.ReadyAt = now;
        }
        db.Outbox.Update(stored);
        return stored.Count + db.Claims.ReleaseAll();
    });

    public void Update(OutboxEntry entry) => Update([entry]);

    public void Update(IReadOnlyCollection<OutboxEntry> entries) => db.WriteSends(entries.Select(e => e.Id), () => db.Outbox.Update(entries));

    public int Remove(IEnumerable<string> ids)
    {
        var removing = ids.ToList();
        return db.WriteSends(removing, () => removing.Count(id => db.Outbox.Delete(id)));
    }

    public OutboxEntry? Find(string id) => db.Read(() => db.Outbox.FindById(id) is { } send ? db.Claims.Show(send) : null);

    public IReadOnlyList<OutboxEntry> ForSubscriber(Guid subscriberId) =>
        db.Read(() => db.Outbox.Find(BsonExpression.Create(BySubscriber, new BsonValue(subscriberId))).Select(db.Claims.Show).OrderBy(e => e.DueAt).ToList());

    public IReadOnlyDictionary<Guid, List<OutboxEntry>> ForSubscribers(IReadOnlyCollection<Guid> subscriberIds)
    {
        if (subscriberIds.Count == 0)
        {
            return new Dictionary<Guid, List<OutboxEntry>>();
        }
        // Pages of a pass hold ascending ids, so one range walk of the SubscriberId index covers the page;
        // the few ids in the range that are not asked for (not mailable) are dropped here.
        var wanted = subscriberIds.ToHashSet();
        var (low, high) = (subscriberIds.Min(), subscriberIds.Max());
        var found = db.Read(() => db.Outbox.Find(BsonExpression.Create(BySubscriberRange, new BsonValue(low), new BsonValue(high))).Select(db.Claims.Show).ToList());
        return found.Where(e => wanted.Contains(e.SubscriberId))
            .GroupBy(e => e.SubscriberId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.DueAt).ToList());
    }

    public IEnumerable<OutboxEntry> Upcoming(DateTimeOffset earliest, DateTimeOffset latest) =>
        db.Read(() => Ready(BsonExpression.Create(ReadyBetween, new BsonValue(earliest.UtcDateTime), new BsonValue(latest.UtcDateTime))).ToEnumerable().Select(db.Claims.Show).ToList())
            .Where(e => e.State is OutboxState.Due or OutboxState.Deferred);

    public DateTimeOffset? NextReadyAt() => db.Read(() =>
    {
        // The held sends are due in the store and come first; each is next looked at when its lease ends.
        var next = Ready(null).Limit(1 + db.Claims.Count).ToList();
        return next.Count == 0 ? (DateTimeOffset?)null : next.Select(db.Claims.Show).Min(e => e.ReadyAt);
    });

    /// <summary>Open sends (that meet <paramref name="condition"/>, a range of the ready-at index), earliest first, read through that index.</summary>
    internal ILiteQueryable<OutboxEntry> Ready(BsonExpression? condition) =>
        (condition is null ? db.Outbox.Query() : db.Outbox.Query().Where(condition)).OrderBy(InReadyOrder);

    public IEnumerable<OutboxEntry> Sent() => db.Read(() => db.Outbox.Find(e => e.State == OutboxState.Sent).ToList());

    public IReadOnlyDictionary<OutboxState, int> CountByState() =>
        db.Read(() => db.Claims.Show(Enum.GetValues<OutboxState>().ToDictionary(s => s, s => IndexCount.Of(db.Outbox, nameof(OutboxEntry.State), s.ToString()))));
}

/// <summary>
/// Counts the documents whose indexed field equals a value from the index keys alone. LiteDB's <c>Count(predicate)</c>
/// reads every matching document to count its id; selecting only the indexed field lets it walk the index and read
/// no document (the dashboard's counts of sends by state at a million). It works for an index on a plain field only:
/// LiteDB reads the documents to count through an expression's index (the status index).
/// </summary>
internal static class IndexCount
{
    public static int Of<T>(ILiteCollection<T> collection, string field, BsonValue value) =>
        Query(collection, field, value).ToDocuments().Single()["n"].AsInt32;

    /// <summary>The query, for tests that check LiteDB reads the index keys only.</summary>
    internal static ILiteQueryableResult<BsonDocument> Query<T>(ILiteCollection<T> collection, string field, BsonValue value) =>
        collection.Query().Where(BsonExpression.Create($"$.{field} = @0", value)).Select(BsonExpression.Create($"{{ n: COUNT(*.{field}) }}"));
}

/// <summary>The suppression list in LiteDB, keyed by the address hash.</summary>
public sealed class LiteSuppressionStore(DripDatabase db) : ISuppressionStore
{
    public void Add(Suppression suppression) => AddAll([suppression]);

    public void AddAll(IReadOnlyCollection<Suppression> suppressions)
    {
        db.MaySuppress.Add(suppressions.Select(s => s.Id));
        db.InTransaction(() => db.Suppressions.Upsert(suppressions));
        db.Changes.Addresses(suppressions.Select(s => s.Id));
    }

    public Suppression? Find(string email) => db.Read(() => db.Suppressions.FindById(Suppression.HashOf(email)));

    public IReadOnlyDictionary<string, Suppression> FindAll(IReadOnlyCollection<string> emails)
    {
        // Only the addresses that may have one are looked up: for most batches, none.
        var hashes = new BsonArray(db.MaySuppress.MayHold(emails.Select(Suppression.HashOf).Distinct(StringComparer.Ordinal)).Select(h => new BsonValue(h)));
        return hashes.Count == 0
            ? new Dictionary<string, Suppression>()
            : db.Read(() => db.Suppressions.Find(BsonExpression.Create("$._id IN @0", hashes)).ToDictionary(s => s.Id, StringComparer.Ordinal));
    }

    public bool Remove(string email)
    {
        var hash = Suppression.HashOf(email);
        var removed = db.Write(() => db.Suppressions.Delete(hash));
        db.Changes.Addresses([hash]);
        return removed;
    }

    public int Count() => db.Read(() => db.Suppressions.Count());
}

/// <summary>Per-letter counts in LiteDB: one small document per letter, and one per letter and week.</summary>
public sealed class LiteLetterStatsStore(DripDatabase db, TimeProvider clock) : ILetterStatsStore
{
    public void Add(string letterId, LetterMetric metric, int by = 1) => db.InTransaction(() => Increment(db, letterId, metric, by, clock.GetUtcNow()));

    /// <summary>The write itself, for a caller already inside a transaction (<see cref="LiteChangeWriter"/>).</summary>
    internal static bool Increment(DripDatabase db, string letterId, LetterMetric metric, int by, DateTimeOffset now)
    {
        var stats = db.LetterStats.FindById(letterId) ?? new LetterStats { Id = letterId };
        stats.Add(metric, by);
        db.LetterStats.Upsert(stats);

        var monday = WeeklyLetterStats.MondayOf(now);
        var key = WeeklyLetterStats.KeyOf(letterId, monday);
        var week = db.WeeklyLetterStats.FindById(key) ?? new WeeklyLetterStats { Id = key, LetterId = letterId, Monday = monday };
        week.Add(metric, by);
        return db.WeeklyLetterStats.Upsert(week);
    }

    public LetterStats? Find(string letterId) => db.Read(() => db.LetterStats.FindById(letterId));

    public IReadOnlyList<LetterStats> All() => db.Read(() => db.LetterStats.FindAll().ToList());

    public IReadOnlyList<WeeklyLetterStats> Weekly(DateTime fromMonday) =>
        db.Read(() => db.WeeklyLetterStats.Find(BsonExpression.Create("$.Monday >= @0", new BsonValue(fromMonday))).ToList())
            .Select(w =>
            {
                w.Monday = w.Monday.ToUniversalTime(); // LiteDB hands dates back in local time
                return w;
            })
            .ToList();
}

/// <summary>Admin accounts in LiteDB, keyed by the lower-cased email.</summary>
public sealed class LiteAdminStore(DripDatabase db) : IAdminStore
{
    public AdminAccount? Find(string email) => db.Read(() => db.Admins.FindById(email.Trim().ToLowerInvariant()));

    public void Save(AdminAccount account) => db.Write(() => db.Admins.Upsert(account));

    public int Count() => db.Read(() => db.Admins.Count());
}

/// <summary>API keys in LiteDB, keyed by their short id and found by the unique index on the key's hash.</summary>
public sealed class LiteApiKeyStore(DripDatabase db) : IApiKeyStore
{
    private const string ByHash = "$.Hash = @0";

    public ApiKey? Find(string id) => db.Read(() => db.ApiKeys.FindById(id));

    public ApiKey? FindByHash(string hash) => db.Read(() => db.ApiKeys.FindOne(BsonExpression.Create(ByHash, new BsonValue(hash))));

    public IReadOnlyList<ApiKey> All() => db.Read(() => db.ApiKeys.FindAll().ToList());

    public void Save(ApiKey key) => db.Write(() => db.ApiKeys.Upsert(key));
}

/// <summary>Subscriber timelines in LiteDB.</summary>
public sealed class LiteHistoryStore(DripDatabase db) : IHistoryStore
{
    public void Append(HistoryEntry entry)
    {
        GiveIds([entry]);
        db.Write(() => db.History.Insert(entry));
    }

    public void Append(IReadOnlyCollection<HistoryEntry> entries)
    {
        GiveIds(entries);
        db.InTransaction(() => db.History.InsertBulk(entries));
    }

    /// <summary>Gives every line without an id a new one, before it is inserted (here or by <see cref="LiteChangeWriter"/>).</summary>
    internal static void GiveIds(IEnumerable<HistoryEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Id == Guid.Empty)
            {
                entry.Id = HistoryEntry.NewId(entry.At);
            }
        }
    }

    public IReadOnlyList<HistoryEntry> ForSubscriber(Guid subscriberId) =>
        db.Read(() => db.History.Find(h => h.SubscriberId == subscriberId).OrderBy(h => h.At).ToList());

    public void DeleteFor(Guid subscriberId) => db.Write(() => db.History.DeleteMany(h => h.SubscriberId == subscriberId));
}

/// <summary>Trigger events in LiteDB, indexed on whether they are planned yet.</summary>
public sealed class LiteEventStore(DripDatabase db) : IEventStore
{
    public void Add(TriggerEvent e) => db.Write(() => db.Events.Insert(e));

    public IReadOnlyList<TriggerEvent> ForSubscriber(Guid subscriberId) =>
        db.Read(() => db.Events.Find(BsonExpression.Create("$.SubscriberId = @0", new BsonValue(subscriberId))).OrderBy(e => e.OccurredAt).ToList());

    public IReadOnlyList<TriggerEvent> Unplanned(int max) =>
        db.Read(() => db.Events.Query().Where(e => !e.Planned).OrderBy(e => e.RecordedAt).Limit(max).ToList());

    public void DeleteFor(Guid subscriberId) => db.Write(() => db.Events.DeleteMany(e => e.SubscriberId == subscriberId));

    public void MarkPlanned(Guid id) => db.Write(() =>
    {
        var e = db.Events.FindById(id);
        if (e is not null)
        {
            e.Planned = true;
            db.Events.Update(e);
        }
        return e is not null;
    });
}
