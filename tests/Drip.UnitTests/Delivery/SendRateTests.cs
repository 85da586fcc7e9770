using Drip.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Delivery;

public sealed class SendRateTests
{
    [Fact]
    public void Sends_are_spaced_one_interval_apart_across_every_caller()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero));
        var rate = new SendRate(10, clock); // one slot every 100 ms

        var waits = Enumerable.Range(0, 5).Select(_ => rate.Reserve().TotalMilliseconds).ToList();

        Assert.Equal([0, 100, 200, 300, 400], waits); // the first goes at once
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(250, rate.Reserve().TotalMilliseconds); // the sixth slot, at 500 ms
    }

    [Fact]
    public async Task A_sender_is_held_until_the_clock_reaches_its_slot()
    {
        var clock = new WatchedClock(new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.Zero));
        var rate = new SendRate(10, clock);
        rate.Wait(CancellationToken.None); // the first slot: at once

        var second = Task.Factory.StartNew(() => rate.Wait(CancellationToken.None), TaskCreationOptions.LongRunning);
        await clock.TimerCreated.Task.WaitAsync(TimeSpan.FromSeconds(5)); // it waits on the clock for its slot at 100 ms
        clock.Advance(TimeSpan.FromMilliseconds(99));
        await Task.Delay(50);
        Assert.False(second.IsCompleted, "the second send waits for its slot");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_stopping_sender_stops_waiting()
    {
        var clock = new FakeTimeProvider();
        var rate = new SendRate(1, clock);
        rate.Reserve();
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => rate.Wait(stop.Token));
    }

    [Fact]
    public void A_rate_of_zero_never_waits_and_a_quiet_spell_does_not_bank_a_burst()
    {
        var clock = new FakeTimeProvider();
        Assert.Equal(TimeSpan.Zero, new SendRate(0, clock).Reserve());

        var rate = new SendRate(2, clock);
        rate.Reserve();
        clock.Advance(TimeSpan.FromMinutes(10)); // idle for a long time
        Assert.Equal(TimeSpan.Zero, rate.Reserve());
        Assert.Equal(TimeSpan.FromMilliseconds(500), rate.Reserve()); // the next still waits its half second
    }

    /// <summary>A test clock that says when someone starts waiting on it.</summary>
    private sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult();
            return timer;
        }
    }
}
