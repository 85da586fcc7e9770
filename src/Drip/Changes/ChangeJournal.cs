namespace Drip.Changes;

/// <summary>
/// Which subscriber records and suppressed addresses this process has written, in order. The dispatcher reads a
/// whole batch of recipients at once, then asks here, before each letter, whether that recipient changed since the
/// read (an unsubscribe, a bounce, an erasure) and reads again only then. So one read serves hundreds of letters,
/// and a change stored before a letter's turn still stops it. Every write of a subscriber or a suppression goes
/// through the store of this process (a second process is refused the store), so the journal misses none.
/// </summary>
public sealed class ChangeJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, long> _subscribers = [];
    private readonly Dictionary<string, long> _addresses = new(StringComparer.Ordinal);
    private readonly List<long> _marks = [];
    private long _sequence;

    /// <summary>
    /// Starts watching, before a read; the mark returned is what <see cref="ChangedSince(long, Guid)"/> compares with.
    /// Every <see cref="Watch"/> is paired with <see cref="Unwatch"/> of its mark.
    /// </summary>
    public long Watch()
    {
        lock (_gate)
        {
            _marks.Add(_sequence);
            return _sequence;
        }
    }

    /// <summary>
    /// Stops watching from <paramref name="mark"/>. A change recorded at or before the oldest mark still watched can no longer
    /// be asked about, and is forgotten: with no one watching, everything is. The dispatcher's batches overlap (one is read
    /// while the one before goes out), so there may never be a moment with no one watching; without this, a million-row
    /// import during a long send would be held here in full.
    /// </summary>
    public void Unwatch(long mark)
    {
        lock (_gate)
        {
            if (!_marks.Remove(mark))
            {
                throw new InvalidOperationException($"no one watches from mark {mark}");
            }
            if (_marks.Count == 0)
            {
                _subscribers.Clear();
                _addresses.Clear();
            }
            else if (_subscribers.Count + _addresses.Count > ForgetAbove)
            {
                var oldest = _marks.Min();
                Forget(_subscribers, oldest);
                Forget(_addresses, oldest);
            }
        }
    }

    // Below this many, what the oldest watcher can no longer ask about is left until no one watches (cheaper than a sweep).
    private const int ForgetAbove = 1024;

    private static void Forget<TKey>(Dictionary<TKey, long> changes, long oldest) where TKey : notnull
    {
        foreach (var (key, at) in changes)
        {
            if (at <= oldest)
            {
                changes.Remove(key);
            }
        }
    }

    // Writers call these after the write is stored. With no one watching nothing is kept: a reader that starts watching
    // later reads the store after this write, so it sees the change itself (and a million-row import costs no memory here).

    /// <summary>Records that these subscribers' records were written (or deleted).</summary>
    public void Subscribers(IEnumerable<Guid> ids)
    {
        lock (_gate)
        {
            if (_marks.Count > 0)
            {
                foreach (var id in ids)
                {
                    _subscribers[id] = ++_sequence;
                }
            }
        }
    }

    /// <summary>Records that the suppressions of these addresses (by hash) were written or removed.</summary>
    public void Addresses(IEnumerable<string> hashes)
    {
        lock (_gate)
        {
            if (_marks.Count > 0)
            {
                foreach (var hash in hashes)
                {
                    _addresses[hash] = ++_sequence;
                }
            }
        }
    }

    /// <summary>How many subscribers and addresses are held now (for tests).</summary>
    internal int Held
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count + _addresses.Count;
            }
        }
    }

    public bool ChangedSince(long mark, Guid subscriberId)
    {
        lock (_gate)
        {
            return _subscribers.TryGetValue(subscriberId, out var at) && at > mark;
        }
    }

    public bool ChangedSince(long mark, string addressHash)
    {
        lock (_gate)
        {
            return _addresses.TryGetValue(addressHash, out var at) && at > mark;
        }
    }
}
