using Drip.Accounts;
using Drip.Changes;
using Drip.Events;
using Drip.Feedback;
using Drip.History;
using Drip.Outbox;
using Drip.Subscribers;
using LiteDB;

namespace Drip.Storage;

/// <summary>
/// The embedded LiteDB store: one file, one <see cref="LiteDatabase"/>, one process. LiteDB does not lock
/// its file on Linux, so Drip holds an exclusive OS lock on <c>drip.db.lock</c> for as long as the store
/// is open; a second process gets <see cref="StoreLockedException"/> instead of a corrupted file.
/// Within the process every store goes through <see cref="Read{T}"/> and <see cref="Write{T}"/>: many
/// readers or one writer. LiteDB 5.0.20's own locking let a read beside a write transaction fail with
/// "page type must be index page" in our million-subscriber benchmark (and corruption under concurrency
/// is a known LiteDB issue), so Drip does not rely on it.
/// </summary>
public sealed class DripDatabase : IDisposable
{
    private readonly FileStream _lock;
    private readonly ReaderWriterLockSlim _gate = new(LockRecursionPolicy.SupportsRecursion);
    private LogWriterScheduler? _logWriter;
    private readonly ManualResetEventSlim? _logWritten;

    /// <param name="path">The LiteDB file, created if missing.</param>
    /// <param name="indexedFields">
    /// The custom fields to keep an index on (<see cref="StoreOptions.IndexedFields"/>): indexes are made for new ones and
    /// dropped for fields no longer named. Null leaves the field indexes as they are (a check that must change nothing).
    /// </param>
    public DripDatabase(string path, IReadOnlyCollection<string>? indexedFields = null)
    {
        CheckFieldKeys(indexedFields);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        try
        {
            _lock = new FileStream(full + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StoreLockedException(full, e);
        }
        var existed = File.Exists(full) && new FileInfo(full).Length > 0;
        try
        {
            if (existed)
            {
                CheckHeader(full);
            }
            Database = new LiteDatabase(new ConnectionString { Filename = full, Connection = ConnectionType.Direct }, Mapper());
            // A process that died leaves its log behind, up to a checkpoint's worth. The first write below runs on the log
            // writer's own thread; had it pushed the log past the checkpoint, the checkpoint would wait there for the log
            // writer, which can only run on that same thread, and Drip would hang at start-up. So the log is emptied first.
            Database.Checkpoint();
            StartLogWriter();
            _logWritten = LogWrittenSignal(Database);
            EnsureIndexes();
            if (indexedFields is not null)
            {
                IndexFields(indexedFields);
            }
        }
        catch (Exception e) when (existed && e is not StoreDamagedException)
        {
            _lock.Dispose();
            throw new StoreDamagedException(full, e.Message, e);
        }
        catch
        {
            Database?.Dispose();
            _logWriter?.Dispose();
            _lock.Dispose();
            throw;
        }
        FilePath = full;
    }

    // LiteDB 5 writes this text at byte 32 of the first page. Anything else is not a LiteDB file, and opening it
    // anyway lets LiteDB write into it: the header is read first so a wrong file is refused untouched.
    private static readonly byte[] Signature = "** This is a LiteDB file **"u8.ToArray();

    private static void CheckHeader(string path)
    {
        var header = new byte[32 + Signature.Length];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        if (!header.AsSpan(32).SequenceEqual(Signature))
        {
            throw new StoreDamagedException(path, "it does not start like a LiteDB file");
        }
    }

    /// <summary>An in-memory store for tests and the simulator.</summary>
    public DripDatabase(Stream memory, IReadOnlyCollection<string>? indexedFields = null)
    {
        CheckFieldKeys(indexedFields);
        _lock = new FileStream(System.IO.Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        Database = new LiteDatabase(memory, Mapper());
        EnsureIndexes();
        if (indexedFields is not null)
        {
            IndexFields(indexedFields);
        }
        FilePath = ":memory:";
    }

    public string FilePath { get; }

    /// <summary>The subscribers and suppressions written through this store, for readers that hold a batch read (see <see cref="ChangeJournal"/>).</summary>
    public ChangeJournal Changes { get; } = new();

    /// <summary>The addresses that may have a suppression (see <see cref="SuppressionFilter"/>); every writer of suppressions adds to it first.</summary>
    internal SuppressionFilter MaySuppress => LazyInitializer.EnsureInitialized(ref _maySuppress,
        () => new SuppressionFilter(() => Read(() => Suppressions.Query().Select(s => s.Id).ToList())));

    private SuppressionFilter? _maySuppress;

    /// <summary>The sends the dispatcher has taken and not yet written back (see <see cref="OutboxClaims"/>).</summary>
    internal OutboxClaims Claims { get; } = new();

    public LiteDatabase Database { get; }

    public ILiteCollection<Subscriber> Subscribers => Database.GetCollection<Subscriber>("subscribers");

    public ILiteCollection<OutboxEntry> Outbox => Database.GetCollection<OutboxEntry>("outbox");

    public ILiteCollection<HistoryEntry> History => Database.GetCollection<HistoryEntry>("history");

    public ILiteCollection<TriggerEvent> Events => Database.GetCollection<TriggerEvent>("events");

    public ILiteCollection<Suppression> Suppressions => Database.GetCollection<Suppression>("suppressions");

    public ILiteCollection<LetterStats> LetterStats => Database.GetCollection<LetterStats>("letter_stats");

    public ILiteCollection<WeeklyLetterStats> WeeklyLetterStats => Database.GetCollection<WeeklyLetterStats>("letter_stats_weekly");

    public ILiteCollection<AdminAccount> Admins => Database.GetCollection<AdminAccount>("admins");

    public ILiteCollection<ApiKey> ApiKeys => Database.GetCollection<ApiKey>("api_keys");

    /// <summary>Runs a read; other reads may run at the same time, writes wait.</summary>
    public T Read<T>(Func<T> read)
    {
        _gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _gate.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs a write (which may read too) with the store to itself, and returns once the write is in the log file, so a
    /// process killed right after it keeps it (a power cut needs the fsync that follows, which is not waited for).
    /// </summary>
    public T Write<T>(Func<T> write)
    {
        _gate.EnterWriteLock();
        try
        {
            var result = write();
            WaitForLogWriter();
            return result;
        }
        finally
        {
            _gate.ExitWriteLock();
        }
    }

    // LiteDB's commit queues its pages for the log writer and returns. On its own thread (see StartLogWriter) the
    // writer got to them after the commit had returned, so the dispatcher could send a connection's next letter while
    // the last one's "sent" was still in this process only: a kill then sent it twice (122 of 200 commits in a test).
    // Waiting here, under the write lock, adds no queue of others' pages to wait for; the fsync still comes after.
    private void WaitForLogWriter()
    {
        if (_logWritten is { } written && !written.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new IOException($"{FilePath}: the store's log writer has written nothing for 30 s");
        }
    }

    /// <summary>
    /// The event LiteDB 5.0.20's log writer sets once its queue is written out (<c>DiskWriterQueue._queueIsEmpty</c>,
    /// set before the fsync). LiteDB does not expose it; if a LiteDB update moves it, opening the store fails here
    /// rather than writes silently losing that guarantee.
    /// </summary>
    private static ManualResetEventSlim LogWrittenSignal(LiteDatabase database)
    {
        const System.Reflection.BindingFlags Field = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic;
        var engine = typeof(LiteDatabase).GetField("_engine", Field)?.GetValue(database);
        var disk = engine?.GetType().GetField("_disk", Field)?.GetValue(engine);
        var lazyQueue = disk?.GetType().GetProperty("Queue", Field | System.Reflection.BindingFlags.Public)?.GetValue(disk); // Lazy<DiskWriterQueue>
        var queue = lazyQueue?.GetType().GetProperty("Value")?.GetValue(lazyQueue);
        return queue?.GetType().GetField("_queueIsEmpty", Field)?.GetValue(queue) as ManualResetEventSlim
               ?? throw new InvalidOperationException("this LiteDB version does not have the log writer Drip waits for; see DripDatabase.LogWrittenSignal");
    }

    /// <summary>Runs <paramref name="work"/> in one LiteDB transaction: all of it is written, or none.</summary>
    public T InTransaction<T>(Func<T> work) => Write(() =>
    {
        Database.BeginTrans();
        try
        {
            var result = work();
            Database.Commit();
            return result;
        }
        catch
        {
            Database.Rollback();
            throw;
        }
    });

    /// <summary>
    /// Writes sends (with whatever goes with them) in one transaction, then lets go of their claims
    /// (<see cref="OutboxClaims"/>). Both happen under the write lock, which claiming takes too, so no claim can take a
    /// send between its new state being written and its claim going. Let go first, and a claim in between could take a
    /// send whose outcome is not yet stored and send it twice. Every writer of sends goes through here.
    /// </summary>
    public T WriteSends<T>(IEnumerable<string> sendIds, Func<T> work) => Write(() =>
    {
        var result = InTransaction(work);
        Claims.Release(sendIds);
        return result;
    });

    private static BsonMapper Mapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false };
        mapper.Entity<Subscriber>().Ignore(s => s.AddressName).Ignore(s => s.FullName).Ignore(s => s.IsMailable);
        mapper.Entity<OutboxEntry>().Ignore(e => e.IsOpen);
        mapper.Entity<EngagementRecord>().Ignore(e => e.LastEngagedAt);
        return mapper;
    }

    /// <summary>
    /// Makes the first write of this process from <see cref="LogWriterScheduler"/>, so LiteDB starts its log writer there
    /// (see that class: without it, a million-row import fsynced once per 8 KB page). The write counts the store's
    /// openings in a one-document collection.
    /// </summary>
    private void StartLogWriter()
    {
        _logWriter = new LogWriterScheduler("LiteDB log writer");
        _logWriter.Run(() =>
        {
            var opened = Database.GetCollection("opened");
            var count = opened.FindById("count")?["n"].AsInt32 ?? 0;
            return opened.Upsert(new BsonDocument { ["_id"] = "count", ["n"] = count + 1 });
        });
    }

    private void EnsureIndexes()
    {
        Subscribers.EnsureIndex(s => s.EmailKey, unique: true);
        // Stores made before the status index left active subscribers out have the full one: it goes, the sparse one is built.
        Subscribers.DropIndex(nameof(Subscriber.Status));
        Subscribers.EnsureIndex(LiteSubscriberSearch.StatusIndex, LiteSubscriberSearch.StatusKey);
        // Name prefixes for the search; cut to a length no name search needs, as LiteDB refuses index keys over 1 KB.
        Subscribers.EnsureIndex(LiteSubscriberSearch.FirstNameIndex, LiteSubscriberSearch.FirstNameKey);
        Subscribers.EnsureIndex(LiteSubscriberSearch.LastNameIndex, LiteSubscriberSearch.LastNameKey);
        // Stores made before the ready-at index left closed sends out have the full one: it goes, the open sends' is built.
        Outbox.DropIndex(nameof(OutboxEntry.ReadyAt));
        Outbox.EnsureIndex(LiteOutboxStore.ReadyIndex, LiteOutboxStore.ReadyKey);
        Outbox.EnsureIndex(e => e.SubscriberId);
        // The dashboard counts sends by state, and sent letters stay in the outbox: millions of them in time.
        Outbox.EnsureIndex(e => e.State);
        History.EnsureIndex(h => h.SubscriberId);
        Events.EnsureIndex(e => e.Planned);
        Events.EnsureIndex(e => e.SubscriberId);
        WeeklyLetterStats.EnsureIndex(w => w.Monday);
        ApiKeys.EnsureIndex(k => k.Hash, unique: true);
    }

    private const string FieldIndexPrefix = "F_";

    // LiteDB names an index in at most 32 characters.
    private const int MaxIndexedFieldKey = 32 - 2;

    /// <summary>The name of the index on a custom field.</summary>
    internal static string FieldIndex(string key) => FieldIndexPrefix + key;

    /// <summary>The custom fields that have an index in this store (read once: only opening the store changes them).</summary>
    internal IReadOnlySet<string> IndexedFields => _indexedFields ??= Read(() => Database.GetCollection("$indexes")
        .Find(BsonExpression.Create("$.collection = 'subscribers'"))
        .Select(i => i["name"].AsString)
        .Where(name => name.StartsWith(FieldIndexPrefix, StringComparison.Ordinal))
        .Select(name => name[FieldIndexPrefix.Length..])
        .ToHashSet(StringComparer.Ordinal));

    private IReadOnlySet<string>? _indexedFields;

    // Before the file is touched: a wrong setting is not a damaged store.
    private static void CheckFieldKeys(IReadOnlyCollection<string>? keys)
    {
        foreach (var key in (keys ?? []).Where(k => !SubscriberQuery.IsFieldKey(k) || k.Length > MaxIndexedFieldKey))
        {
            throw new InvalidOperationException(SubscriberQuery.IsFieldKey(key)
                ? $"Storage:IndexedFields: '{key}' is longer than the {MaxIndexedFieldKey} characters an indexed field's name may have"
                : $"Storage:IndexedFields: '{key}' is not a field key (letters, digits and underscores, as the import makes them)");
        }
    }

    private void IndexFields(IReadOnlyCollection<string> keys)
    {
        var wanted = keys.Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in IndexedFields.Where(k => !wanted.Contains(k)))
        {
            Subscribers.DropIndex(FieldIndex(stale));
        }
        foreach (var key in wanted)
        {
            Subscribers.EnsureIndex(FieldIndex(key), $"$.Fields.{key}");
        }
        _indexedFields = null;
    }

    public void Dispose()
    {
        try
        {
            Database.Dispose();
            _logWriter?.Dispose();
        }
        finally
        {
            // Whatever LiteDB does on the way out, the next process (or the next host in the same process) must find the store free.
            _lock.Dispose();
            _gate.Dispose();
        }
    }
}
