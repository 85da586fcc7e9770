using System.Collections.Concurrent;
using Drip.Delivery;

namespace Drip.UnitTests.Delivery;

public sealed class SenderThreadsTests
{
    [Fact]
    public async Task Each_worker_of_a_batch_runs_at_the_same_time_on_a_thread_of_its_own()
    {
        using var senders = new SenderThreads();
        using var allStarted = new CountdownEvent(3);
        var threads = new ConcurrentBag<int>();

        // Each worker waits until all three have started: with fewer threads than workers this would never end.
        await senders.RunAll(3, () =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            allStarted.Signal();
            Assert.True(allStarted.Wait(TimeSpan.FromSeconds(10)), "all three workers run at once");
        }).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(3, threads.Distinct().Count());
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
    }

    [Fact]
    public async Task The_next_batch_runs_on_the_same_threads_rather_than_new_ones()
    {
        using var senders = new SenderThreads();
        var first = new ConcurrentBag<int>();
        var second = new ConcurrentBag<int>();
        using (var started = new CountdownEvent(2))
        {
            await senders.RunAll(2, () => { first.Add(Environment.CurrentManagedThreadId); started.Signal(); started.Wait(TimeSpan.FromSeconds(10)); });
        }
        await senders.RunAll(2, () => second.Add(Environment.CurrentManagedThreadId));
        await senders.RunAll(1, () => second.Add(Environment.CurrentManagedThreadId));

        Assert.Equal(2, first.Distinct().Count());
        Assert.Subset(first.ToHashSet(), second.ToHashSet());
    }

    [Fact]
    public async Task A_worker_that_throws_fails_the_batch_and_the_threads_go_on_serving()
    {
        using var senders = new SenderThreads();

        var failed = senders.RunAll(2, () => throw new InvalidOperationException("the store is gone"));
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("the store is gone", thrown.Message);

        var ran = 0;
        await senders.RunAll(2, () => Interlocked.Increment(ref ran)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, ran);
    }

    [Fact]
    public async Task A_disposed_set_takes_no_more_work()
    {
        var senders = new SenderThreads();
        await senders.RunAll(1, () => { }).WaitAsync(TimeSpan.FromSeconds(10));
        senders.Dispose();

        // Refused at once, before anything is queued: a stopped dispatcher sends nothing more.
        Assert.Throws<ObjectDisposedException>(() => { _ = senders.RunAll(1, () => { }); });
    }
}
