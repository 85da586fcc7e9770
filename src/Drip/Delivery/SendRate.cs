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

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (perSecond <= 0)
        {
            return;
        }
        TimeSpan wait;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + TimeSpan.FromSeconds(1 / perSecond);
            wait = slot - now;
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }
}
