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
    private long _sequence;
    private int _watchers;

    /// <summary>
    /// Starts watching, before a read; the mark returned is what <see cref="ChangedSince(long, Guid)"/> compares with.
    /// Every <see cref="Watch"/> is paired with <see cref="Unwatch"/>.
    /// </summary>
    public long Watch()
    {
        lock (_gate)
        {
            _watchers++;
            return _sequence;
        }
    }

    /// <summary>Stops watching; with no one watching, what was recorded can no longer matter and is forgotten.</summary>
    public void Unwatch()
    {
        lock (_gate)
        {
            if (--_watchers == 0)
            {
                _subscribers.Clear();
                _addresses.Clear();
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
            if (_watchers > 0)
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
            if (_watchers > 0)
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
