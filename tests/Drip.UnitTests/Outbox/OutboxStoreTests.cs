using Drip.Outbox;
using Drip.Storage;

namespace Drip.UnitTests.Outbox;

public sealed class OutboxStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteOutboxStore _outbox;

    public OutboxStoreTests() => _outbox = new LiteOutboxStore(_db);

    private static OutboxEntry Entry(string key, DateTimeOffset due) => OutboxEntry.Create(key, Guid.NewGuid(), "letter", "test", due, false, Now);

    [Fact]
    public void Reading_a_page_of_subscribers_at_once_gives_each_exactly_their_own_sends()
    {
        // Random ids exercise the store's Guid order against .NET's: the range read must not miss anyone.
        var random = new Random(7);
        var ids = Enumerable.Range(0, 300).Select(_ => new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16))).ToList();
        var entries = ids.SelectMany((id, i) => Enumerable.Range(0, i % 4).Select(n =>
            OutboxEntry.Create($"k:{id:N}:{n}", id, "letter", "test", Now.AddDays(3 - n), false, Now))).ToList();
        _outbox.Enqueue(entries);
        var page = ids.Where((_, i) => i % 3 != 0).ToList(); // some ids in the range are not asked for

        var found = _outbox.ForSubscribers(page);

        foreach (var id in ids)
        {
            var expected = page.Contains(id) ? _outbox.ForSubscriber(id).Select(e => e.Id).ToList() : [];
            var actual = found.TryGetValue(id, out var theirs) ? theirs.Select(e => e.Id).ToList() : [];
            Assert.Equal(expected, actual);
        }
        Assert.Equal(entries.Count(e => page.Contains(e.SubscriberId)), found.Values.Sum(l => l.Count));
    }

    [Fact]
    public void Enqueueing_the_same_key_twice_keeps_the_first_entry()
    {
        Assert.Equal(1, _outbox.Enqueue([Entry("a", Now)]));
        Assert.Equal(0, _outbox.Enqueue([Entry("a", Now.AddDays(3))]));
        Assert.Equal(Now, _outbox.Find("a")!.DueAt);
    }

    [Fact]
    public void Claiming_takes_only_what_is_due_in_due_order_up_to_the_limit()
    {
        _outbox.Enqueue([Entry("late", Now.AddMinutes(-1)), Entry("early", Now.AddHours(-2)), Entry("future", Now.AddMinutes(1)), Entry("mid", Now.AddHours(-1))]);

        var claimed = _outbox.ClaimDue(Now, 2, Now.AddMinutes(10));

        Assert.Equal(["early", "mid"], claimed.Select(e => e.Id));
        Assert.All(claimed, e => Assert.Equal(OutboxState.Claimed, _outbox.Find(e.Id)!.State));
        Assert.Equal(["late"], _outbox.ClaimDue(Now, 10, Now.AddMinutes(10)).Select(e => e.Id));
    }

    [Fact]
    public void A_claim_is_taken_again_only_after_its_lease_runs_out()
    {
        _outbox.Enqueue([Entry("a", Now)]);
        _outbox.ClaimDue(Now, 10, Now.AddMinutes(10));

        Assert.Empty(_outbox.ClaimDue(Now.AddMinutes(9), 10, Now.AddMinutes(19)));
        Assert.Single(_outbox.ClaimDue(Now.AddMinutes(11), 10, Now.AddMinutes(21)));
    }

    [Fact]
    public void Closed_entries_are_never_claimed_and_released_claims_return_to_the_queue()
    {
        _outbox.Enqueue([Entry("sent", Now), Entry("claimed", Now), Entry("retried", Now)]);
        foreach (var e in _outbox.ClaimDue(Now, 10, Now.AddHours(1)))
        {
            if (e.Id == "sent")
            {
                e.Close(OutboxState.Sent);
                _outbox.Update(e);
            }
            if (e.Id == "retried")
            {
                e.Attempts = 1;
                _outbox.Update(e);
            }
        }

        Assert.Equal(2, _outbox.ReleaseClaims(Now));
        Assert.Equal(OutboxState.Due, _outbox.Find("claimed")!.State);
        Assert.Equal(OutboxState.Deferred, _outbox.Find("retried")!.State);
        Assert.Equal(["claimed", "retried"], _outbox.ClaimDue(Now.AddYears(50), 10, Now).Select(e => e.Id).Order());
    }

    [Fact]
    public void Times_with_different_offsets_compare_as_instants()
    {
        _outbox.Enqueue([Entry("moscow", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(3)))]);
        Assert.Empty(_outbox.ClaimDue(new DateTimeOffset(2026, 11, 24, 6, 59, 0, TimeSpan.Zero), 10, Now));
        Assert.Single(_outbox.ClaimDue(new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero), 10, Now));
    }

    [Fact]
    public void Message_id_is_stable_per_key_and_differs_between_keys()
    {
        Assert.Equal(IdempotencyKey.MessageId("k1", "example.com"), IdempotencyKey.MessageId("k1", "example.com"));
        Assert.NotEqual(IdempotencyKey.MessageId("k1", "example.com"), IdempotencyKey.MessageId("k2", "example.com"));
        Assert.EndsWith("@example.com", IdempotencyKey.MessageId("k1", "example.com"));
    }

    [Fact]
    public void The_ready_at_index_holds_only_open_sends_and_every_read_of_the_queue_walks_it()
    {
        var entries = Enumerable.Range(0, 6).Select(i => Entry($"k{i}", Now.AddMinutes(i - 3))).ToList();
        _outbox.Enqueue(entries);
        entries[0].Close(OutboxState.Sent);
        entries[1].Close(OutboxState.Failed, "550");
        entries[2].Defer(Now.AddMinutes(30), "421");
        _outbox.Update(entries.Take(3).ToList());

        var plans = new[]
        {
            _outbox.Ready(LiteDB.BsonExpression.Create(LiteOutboxStore.ReadyBy, new LiteDB.BsonValue(Now.UtcDateTime))).GetPlan(),
            _outbox.Ready(LiteDB.BsonExpression.Create(LiteOutboxStore.ReadyBetween, new LiteDB.BsonValue(Now.UtcDateTime), new LiteDB.BsonValue(Now.AddHours(1).UtcDateTime))).GetPlan(),
            _outbox.Ready(null).GetPlan(),
        };
        var keyed = _db.Outbox.Query().Where(LiteDB.BsonExpression.Create($"{LiteOutboxStore.ReadyKey} ANY >= @0", LiteDB.BsonValue.MinValue));

        Assert.All(plans, p => Assert.Equal(LiteOutboxStore.ReadyIndex, p["index"]["name"].AsString));
        Assert.All(plans, p => Assert.False(p.ContainsKey("orderBy"), "ordered by the index, not sorted after reading"));
        Assert.StartsWith("INDEX RANGE SCAN", plans[1]["index"]["mode"].AsString); // both ends bound the walk
        Assert.False(plans[1].ContainsKey("filters"));
        Assert.Equal(LiteOutboxStore.ReadyIndex, keyed.GetPlan()["index"]["name"].AsString);
        Assert.Equal(["k3", "k4", "k5", "k2"], keyed.ToList().Select(e => e.Id)); // the open ones, in ready order
        Assert.Equal(Now.AddMinutes(0), _outbox.NextReadyAt());
        Assert.Equal(["k3", "k4", "k5", "k2"], _outbox.Upcoming(Now.AddHours(-1), Now.AddHours(1)).Select(e => e.Id));
        Assert.Equal(["k3"], _outbox.ClaimDue(Now, 10, Now.AddMinutes(5)).Select(e => e.Id));
    }

    [Fact]
    public void A_store_made_with_the_full_ready_at_index_gets_the_open_sends_one_when_opened()
    {
        var folder = Directory.CreateTempSubdirectory("drip-outbox-").FullName;
        try
        {
            var path = Path.Combine(folder, "drip.db");
            using (var db = new DripDatabase(path))
            {
                var entries = new[] { Entry("sent", Now.AddMinutes(-2)), Entry("due", Now.AddMinutes(-1)) };
                new LiteOutboxStore(db).Enqueue(entries);
                entries[0].Close(OutboxState.Sent);
                new LiteOutboxStore(db).Update(entries[0]);
                // As stores were made before: every send's ready-at, under the field's name.
                db.Outbox.DropIndex(LiteOutboxStore.ReadyIndex);
                db.Outbox.EnsureIndex(nameof(OutboxEntry.ReadyAt), "$.ReadyAt");
            }

            using var reopened = new DripDatabase(path);
            var indexes = reopened.Database.GetCollection("$indexes").Find(LiteDB.BsonExpression.Create("$.collection = 'outbox'")).Select(i => i["name"].AsString).ToList();

            Assert.Contains(LiteOutboxStore.ReadyIndex, indexes);
            Assert.DoesNotContain(nameof(OutboxEntry.ReadyAt), indexes);
            Assert.Equal(["due"], new LiteOutboxStore(reopened).ClaimDue(Now, 10, Now.AddMinutes(5)).Select(e => e.Id));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose() => _db.Dispose();
}
