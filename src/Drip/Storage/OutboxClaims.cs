using Drip.Outbox;

namespace Drip.Storage;

/// <summary>
/// The sends a dispatcher has taken and not yet written back, held in memory rather than in the store.
/// <para>
/// Written to LiteDB, each claim was a document rewrite and two index changes per letter: 7% of a broadcast's CPU, and a
/// quarter of its gen0 collections. A stored claim was never needed after a crash: the next process returns every claim to the
/// queue anyway, after the outcome journal has stored what went out. One process owns a store, so claims only need to be
/// seen inside it.
/// </para>
/// <para>
/// Readers of the store still see a held send as <see cref="OutboxState.Claimed"/>, with its lease as its ready time, as
/// when claims were stored. A held send's claim is let go only after its new state is written, under the store's write
/// lock (the one claiming takes; <see cref="DripDatabase.WriteSends"/>). So a send is never seen as due in the store and
/// unheld before its outcome is stored.
/// </para>
/// </summary>
internal sealed class OutboxClaims
{
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A claim: until when, and the state the store has for the send meanwhile (due or deferred).</summary>
    private readonly record struct Held(DateTimeOffset Until, OutboxState Stored);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Whether the send is held under a lease that has not run out.</summary>
    public bool IsHeld(string id, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _held.TryGetValue(id, out var held) && held.Until > now;
        }
    }

    /// <summary>
    /// Takes a send read from the store as due, unless it is held under a lease that has not run out; the send is then
    /// marked claimed until <paramref name="until"/>.
    /// </summary>
    public bool TryTake(OutboxEntry send, DateTimeOffset now, DateTimeOffset until)
    {
        lock (_lock)
        {
            if (_held.TryGetValue(send.Id, out var held) && held.Until > now)
            {
                return false;
            }
            _held[send.Id] = new Held(until, send.State);
        }
        send.State = OutboxState.Claimed;
        send.ReadyAt = until;
        return true;
    }

    /// <summary>Lets go of the claims of sends whose new state has just been written, or that were deleted.</summary>
    public void Release(IEnumerable<string> ids)
    {
        lock (_lock)
        {
            foreach (var id in ids)
            {
                _held.Remove(id);
            }
        }
    }

    /// <summary>Lets go of every claim; returns how many there were.</summary>
    public int ReleaseAll()
    {
        lock (_lock)
        {
            var count = _held.Count;
            _held.Clear();
            return count;
        }
    }

    /// <summary>A send as read from the store, shown claimed if it is held (the store still has it due or deferred).</summary>
    public OutboxEntry Show(OutboxEntry send)
    {
        if (send.State is OutboxState.Due or OutboxState.Deferred)
        {
            lock (_lock)
            {
                if (_held.TryGetValue(send.Id, out var held))
                {
                    send.State = OutboxState.Claimed;
                    send.ReadyAt = held.Until;
                }
            }
        }
        return send;
    }

    /// <summary>The store's count of sends by state, with held sends counted as claimed rather than as due or deferred.</summary>
    public Dictionary<OutboxState, int> Show(Dictionary<OutboxState, int> stored)
    {
        lock (_lock)
        {
            foreach (var held in _held.Values)
            {
                if (held.Stored is OutboxState.Due or OutboxState.Deferred)
                {
                    stored[held.Stored]--;
                    stored[OutboxState.Claimed]++;
                }
            }
        }
        return stored;
    }
}
