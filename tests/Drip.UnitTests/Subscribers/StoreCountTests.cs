using Drip.Outbox;
using Drip.Storage;
using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

/// <summary>The dashboard's counts by status and by send state are right; those by send state are read from index keys without loading a document (an email prefix's count: SubscriberSearchTests).</summary>
public sealed class StoreCountTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly DripDatabase _db = new(new MemoryStream());

    [Fact]
    public void Subscribers_are_counted_by_status_and_sends_by_state()
    {
        var store = new LiteSubscriberStore(_db);
        store.Save([.. Enumerable.Range(0, 7).Select(i => Person(i, i < 4 ? SubscriberStatus.Active : i < 6 ? SubscriberStatus.Unsubscribed : SubscriberStatus.Bounced))]);
        var outbox = new LiteOutboxStore(_db);
        var entries = Enumerable.Range(0, 5).Select(i => OutboxEntry.Create($"k{i}", Guid.NewGuid(), "thank-you", "sequence:post-sale", Now, false, Now)).ToList();
        entries[0].Close(OutboxState.Sent);
        entries[1].Close(OutboxState.Sent);
        entries[2].Close(OutboxState.Failed, "550");
        outbox.Enqueue(entries);

        var byStatus = store.CountByStatus();
        var byState = outbox.CountByState();

        Assert.Equal((4, 2, 1, 0), (byStatus[SubscriberStatus.Active], byStatus[SubscriberStatus.Unsubscribed], byStatus[SubscriberStatus.Bounced], byStatus[SubscriberStatus.Pending]));
        Assert.Equal(Enum.GetValues<SubscriberStatus>().Length, byStatus.Count);
        Assert.Equal((2, 2, 1, 0), (byState[OutboxState.Due], byState[OutboxState.Sent], byState[OutboxState.Failed], byState[OutboxState.Claimed]));
    }

    [Fact]
    public void Counts_walk_the_index_keys_and_load_no_document()
    {
        var byState = IndexCount.Query(_db.Outbox, nameof(OutboxEntry.State), "Sent").GetPlan();

        Assert.Equal(("State", "index"), (byState["index"]["name"].AsString, byState["lookup"]["loader"].AsString));
    }

    private static Subscriber Person(int i, SubscriberStatus status) => new()
    {
        Id = Guid.NewGuid(), Email = $"p{i}@example.com", EmailKey = $"p{i}@example.com", Status = status, CreatedAt = Now, UpdatedAt = Now,
    };

    public void Dispose() => _db.Dispose();
}
