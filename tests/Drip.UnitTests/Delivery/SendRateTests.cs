using Drip.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Delivery;

public sealed class SendRateTests
{
    [Fact]
    public async Task Sends_are_spaced_one_interval_apart_across_every_caller()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero));
        var rate = new SendRate(10, clock); // one slot every 100 ms

        var waits = Enumerable.Range(0, 5).Select(_ => rate.WaitAsync(CancellationToken.None).AsTask()).ToList();

        Assert.Equal(1, waits.Count(w => w.IsCompleted)); // the first goes at once
        for (var step = 2; step <= 5; step++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(99));
            Assert.False(waits[step - 1].IsCompleted, $"send {step} waits for its slot");
            clock.Advance(TimeSpan.FromMilliseconds(1));
            await waits[step - 1].WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(step, waits.Count(w => w.IsCompleted));
        }
    }

    [Fact]
    public async Task A_rate_of_zero_never_waits_and_a_quiet_spell_does_not_bank_a_burst()
    {
        var clock = new FakeTimeProvider();
        Assert.True(new SendRate(0, clock).WaitAsync(CancellationToken.None).AsTask().IsCompleted);

        var rate = new SendRate(2, clock);
        await rate.WaitAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(10)); // idle for a long time
        Assert.True(rate.WaitAsync(CancellationToken.None).AsTask().IsCompleted);
        Assert.False(rate.WaitAsync(CancellationToken.None).AsTask().IsCompleted); // the next still waits its half second
    }
}
