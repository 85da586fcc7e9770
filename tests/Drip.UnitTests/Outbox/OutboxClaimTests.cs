using Drip.Changes;
using Drip.Outbox;
using Drip.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Outbox;

/// <summary>
/// Claims are held by the process, not written to the LiteDB file: every reader of the store still sees a held send as
/// claimed, writing a send back lets its claim go, and a store opened again (after a crash) has the send due.
/// </summary>
public sealed class OutboxClaimTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-claims-").FullName;
    private DripDatabase _db;

    public OutboxClaimTests() => _db = new DripDatabase(Path.Combine(_folder, "drip.db"));

    private LiteOutboxStore Outbox => new(_db);

    private static OutboxEntry Entry(string key, DateTimeOffset due) => OutboxEntry.Create(key, Guid.NewGuid(), "letter", "test", due, false, Now);

    [Fact]
    public void A_claim_is_not_in_the_file_so_the_store_opened_again_has_the_send_due()
    {
        Outbox.Enqueue([Entry("a", Now)]);
        Assert.Single(Outbox.ClaimDue(Now, 10, Now.AddMinutes(10)));
        Assert.Empty(Outbox.ClaimDue(Now, 10, Now.AddMinutes(10)));

        _db.Dispose();
        _db = new DripDatabase(Path.Combine(_folder, "drip.db"));

        Assert.Equal((OutboxState.Due, Now), (Outbox.Find("a")!.State, Outbox.Find("a")!.ReadyAt));
        Assert.Equal(["a"], Outbox.ClaimDue(Now, 10, Now.AddMinutes(10)).Select(e => e.Id));
    }

    [Fact]
    public void A_held_send_reads_as_claimed_everywhere_and_counts_as_claimed_not_due()
    {
        var held = Entry("held", Now.AddMinutes(-5));
        Outbox.Enqueue([held, Entry("next", Now), Entry("later", Now.AddHours(1))]);

        Assert.Equal(["held"], Outbox.ClaimDue(Now, 1, Now.AddMinutes(10)).Select(e => e.Id));

        Assert.Equal((OutboxState.Claimed, Now.AddMinutes(10)), (Outbox.Find("held")!.State, Outbox.Find("held")!.ReadyAt));
        Assert.Equal(OutboxState.Claimed, Assert.Single(Outbox.ForSubscriber(held.SubscriberId)).State);
        Assert.Equal(OutboxState.Claimed, Outbox.ForSubscribers([held.SubscriberId])[held.SubscriberId].Single().State);
        var counts = Outbox.CountByState();
        Assert.Equal((1, 2), (counts[OutboxState.Claimed], counts[OutboxState.Due]));
        Assert.Equal(["next", "later"], Outbox.Upcoming(Now.AddHours(-1), Now.AddHours(2)).Select(e => e.Id));
        Assert.Equal(Now, Outbox.NextReadyAt());
    }

    [Fact]
    public void With_only_held_sends_open_the_next_look_is_when_the_first_lease_ends()
    {
        Outbox.Enqueue([Entry("a", Now), Entry("b", Now)]);
        Outbox.ClaimDue(Now, 1, Now.AddMinutes(10));
        Outbox.ClaimDue(Now.AddMinutes(1), 1, Now.AddMinutes(11));

        Assert.Equal(Now.AddMinutes(10), Outbox.NextReadyAt());
    }

    [Fact]
    public void Claiming_reads_past_the_sends_already_held()
    {
        Outbox.Enqueue(Enumerable.Range(0, 5).Select(i => Entry($"s{i}", Now)).ToList());

        var batches = Enumerable.Range(0, 4).Select(_ => Outbox.ClaimDue(Now, 2, Now.AddMinutes(10)).Select(e => e.Id).ToList()).ToList();

        Assert.Equal([2, 2, 1, 0], batches.Select(b => b.Count));
        Assert.Equal(5, batches.SelectMany(b => b).Distinct().Count());
    }

    [Fact]
    public void Writing_a_send_back_lets_its_claim_go()
    {
        Outbox.Enqueue([Entry("requeued", Now), Entry("sent", Now), Entry("removed", Now)]);
        var claimed = Outbox.ClaimDue(Now, 10, Now.AddHours(1)).ToDictionary(e => e.Id);

        var requeued = claimed["requeued"];
        (requeued.State, requeued.ReadyAt) = (OutboxState.Due, Now);
        Outbox.Update(requeued);
        var sent = claimed["sent"];
        sent.Close(OutboxState.Sent);
        var outcome = new ChangeSet();
        outcome.Sends.Add(sent);
        new LiteChangeWriter(_db, new FakeTimeProvider(Now)).Write(outcome);
        Outbox.Remove(["removed"]);

        Assert.Equal(0, Outbox.CountByState()[OutboxState.Claimed]);
        Assert.Equal(OutboxState.Sent, Outbox.Find("sent")!.State);
        Assert.Equal(["requeued"], Outbox.ClaimDue(Now, 10, Now.AddHours(1)).Select(e => e.Id));
    }

    [Fact]
    public void Releasing_claims_lets_go_of_those_held_and_returns_those_an_older_store_wrote()
    {
        Outbox.Enqueue([Entry("held", Now), Entry("written", Now)]);
        var written = Outbox.ClaimDue(Now, 10, Now.AddHours(1)).Single(e => e.Id == "written");
        Outbox.Update(written); // as a version that stored claims left it: state Claimed, ready at the lease's end

        Assert.Equal(OutboxState.Claimed, Outbox.Find("written")!.State);
        Assert.Equal(2, Outbox.ReleaseClaims(Now));
        Assert.Equal(["held", "written"], Outbox.ClaimDue(Now, 10, Now.AddHours(1)).Select(e => e.Id).Order());
    }

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
