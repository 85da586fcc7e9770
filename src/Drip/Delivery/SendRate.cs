namespace Drip.Delivery;

/// <summary>
/// Keeps a relay's sending rate at or under <c>Smtp:MessagesPerSecond</c> across all its connections: each send takes
/// the next free slot, slots one interval apart. Relays (and the mailbox providers behind them) throttle or block a
/// sender that bursts past the rate agreed with them; waiting here costs nothing, a block costs a day. 0 means no limit.
/// </summary>
public sealed class SendRate(double perSecond, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _next;

    /// <summary>Blocks the calling thread (a sending session's own) until its slot comes.</summary>
    public void Wait(CancellationToken cancellationToken)
    {
        var wait = Reserve();
        if (wait > TimeSpan.Zero)
        {
            // The clock's own delay, so a test clock moves it on.
            Task.Delay(wait, clock, cancellationToken).GetAwaiter().GetResult();
        }
    }

    /// <summary>Takes the next free slot and returns how long until it comes (zero: now, or no limit).</summary>
    internal TimeSpan Reserve()
    {
        if (perSecond <= 0)
        {
            return TimeSpan.Zero;
        }
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + TimeSpan.FromSeconds(1 / perSecond);
            return slot - now;
        }
    }
}
