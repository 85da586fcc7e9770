using Drip.Changes;
using Drip.Feedback;
using Drip.History;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Changes;

public sealed class GroupCommitTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));

    /// <summary>Counts the writes that reach the store and makes each one slow, as a flush to disk is.</summary>
    private sealed class SlowCountingWriter(IChangeWriter inner) : IChangeWriter
    {
        public int Writes;
        public bool FailNext;

        public void Write(ChangeSet changes)
        {
            Interlocked.Increment(ref Writes);
            Thread.Sleep(5);
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("disk full");
            }
            inner.Write(changes);
        }
    }

    private ChangeSet Leaving(int i)
    {
        var subscriber = new Subscriber { Id = Guid.NewGuid(), Email = $"r{i}@example.org", EmailKey = $"r{i}@example.org", Status = SubscriberStatus.Unsubscribed };
        var changes = new ChangeSet();
        changes.Subscribers.Add(subscriber);
        changes.Lines.Add(new HistoryEntry { SubscriberId = subscriber.Id, At = _clock.GetUtcNow(), Kind = HistoryKind.Unsubscribed, Detail = "test" });
        changes.Suppressions.Add(new Suppression { Id = Suppression.HashOf(subscriber.Email), Reason = SuppressionReason.Unsubscribed, At = _clock.GetUtcNow() });
        changes.Counts.Add(new LetterCount("news", LetterMetric.Unsubscribes));
        return changes;
    }

    [Fact]
    public async Task Many_callers_at_once_are_all_stored_in_fewer_writes_than_callers()
    {
        var writer = new SlowCountingWriter(new LiteChangeWriter(_db, _clock));
        using var commits = new GroupCommit(writer);
        var sets = Enumerable.Range(0, 200).Select(Leaving).ToList();

        await Task.WhenAll(sets.Select(s => Task.Run(() => commits.WriteAsync(s))));

        Assert.InRange(writer.Writes, 1, 100);
        Assert.Equal(200, new LiteSubscriberStore(_db).Count());
        Assert.Equal(200, new LiteSuppressionStore(_db).Count());
        Assert.Equal(200, new LiteLetterStatsStore(_db, _clock).Find("news")!.Unsubscribes);
        var someone = sets[137].Subscribers[0];
        Assert.Single(new LiteHistoryStore(_db).ForSubscriber(someone.Id), h => h.Kind == HistoryKind.Unsubscribed);
    }

    [Fact]
    public async Task A_failed_write_is_reported_to_every_caller_in_its_group_and_the_next_write_goes_through()
    {
        var writer = new SlowCountingWriter(new LiteChangeWriter(_db, _clock)) { FailNext = true };
        using var commits = new GroupCommit(writer);

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => commits.WriteAsync(Leaving(1)));
        commits.Write(Leaving(2));

        Assert.Contains("disk full", failed.Message);
        Assert.Equal(1, new LiteSubscriberStore(_db).Count());
        Assert.NotNull(new LiteSubscriberStore(_db).FindByEmail("r2@example.org"));
    }

    [Fact]
    public void A_change_set_the_store_refuses_part_of_leaves_nothing_written()
    {
        var store = new LiteChangeWriter(_db, _clock);
        var first = Leaving(1);
        store.Write(first);
        var second = Leaving(2);
        second.Lines.Add(first.Lines[0]); // the same timeline line again: its id is taken, so the insert fails

        Assert.ThrowsAny<Exception>(() => store.Write(second));

        Assert.Null(new LiteSubscriberStore(_db).FindByEmail("r2@example.org"));
        Assert.Equal(1, new LiteSuppressionStore(_db).Count());
        Assert.Equal(1, new LiteLetterStatsStore(_db, _clock).Find("news")!.Unsubscribes);
    }

    public void Dispose() => _db.Dispose();
}
