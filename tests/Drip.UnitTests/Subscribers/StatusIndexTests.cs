using Drip.Storage;
using Drip.Subscribers;
using LiteDB;

namespace Drip.UnitTests.Subscribers;

/// <summary>The status index: a key for each subscriber who is not active, none for the active (nearly everyone).</summary>
public sealed class StatusIndexTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("drip-status-").FullName;
    private readonly DripDatabase _db = new(new MemoryStream());

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_status_index_holds_only_those_who_are_not_active_and_follows_their_changes()
    {
        var store = new LiteSubscriberStore(_db);
        var people = Enumerable.Range(0, 6).Select(i => Person(i, i < 4 ? SubscriberStatus.Active : SubscriberStatus.Unsubscribed)).ToList();
        store.Save(people);
        people[0].Status = SubscriberStatus.Bounced; // active → off: gains a key
        people[4].Status = SubscriberStatus.Active; // off → active: loses its key
        store.Save([people[0], people[4]]);
        store.Delete(people[5].Id);

        var plan = LiteSubscriberSearch.HoldersOf(_db, SubscriberStatus.Bounced).GetPlan();
        var held = Enum.GetValues<SubscriberStatus>().Where(s => s != SubscriberStatus.Active)
            .SelectMany(s => LiteSubscriberSearch.HoldersOf(_db, s).ToList()).Select(p => p.Email).Order();

        Assert.Equal((LiteSubscriberSearch.StatusIndex, "INDEX SEEK"), (plan["index"]["name"].AsString, plan["index"]["mode"].AsString[..10]));
        Assert.Equal(["p0@example.com"], held);
        Assert.Equal(1, HoldersOfAnyKey(LiteSubscriberSearch.StatusKey, LiteSubscriberSearch.StatusIndex));
        Assert.Equal(5, HoldersOfAnyKey("$._id", "_id"));
        Assert.Equal((4, 1, 0), (store.CountByStatus()[SubscriberStatus.Active], store.CountByStatus()[SubscriberStatus.Bounced], store.CountByStatus()[SubscriberStatus.Unsubscribed]));
    }

    /// <summary>How many subscribers have a key in an index, found by walking the index from its lowest possible key (a null key included).</summary>
    private int HoldersOfAnyKey(string key, string index)
    {
        var query = _db.Subscribers.Query().Where(BsonExpression.Create($"{key} {(key.StartsWith("ITEMS", StringComparison.Ordinal) ? "ANY " : "")}>= @0", BsonValue.MinValue));
        Assert.Equal(index, query.GetPlan()["index"]["name"].AsString);
        return query.Count();
    }

    [Fact]
    public void A_store_made_with_the_full_status_index_gets_the_sparse_one_when_opened()
    {
        var path = Path.Combine(_folder, "drip.db");
        using (var db = new DripDatabase(path))
        {
            new LiteSubscriberStore(db).Save([Person(0, SubscriberStatus.Active), Person(1, SubscriberStatus.Bounced), Person(2, SubscriberStatus.Unsubscribed)]);
            // As stores were made before: a key for everyone, under the field's name.
            db.Subscribers.DropIndex(LiteSubscriberSearch.StatusIndex);
            db.Subscribers.EnsureIndex(nameof(Subscriber.Status), "$.Status");
        }

        using var reopened = new DripDatabase(path);
        var indexes = reopened.Database.GetCollection("$indexes").Find(BsonExpression.Create("$.collection = 'subscribers'")).Select(i => i["name"].AsString).ToList();
        var search = new LiteSubscriberSearch(reopened, new SubscriberQuery { Status = SubscriberStatus.Bounced });
        var bounced = search.Run().Items;

        Assert.Contains(LiteSubscriberSearch.StatusIndex, indexes);
        Assert.DoesNotContain(nameof(Subscriber.Status), indexes);
        Assert.Equal(["p1@example.com"], bounced.Select(s => s.Email));
        Assert.Equal([LiteSubscriberSearch.StatusIndex], search.IndexesUsed());
        Assert.Equal(1, new LiteSubscriberStore(reopened).CountByStatus()[SubscriberStatus.Active]);
    }

    private static Subscriber Person(int i, SubscriberStatus status) => new()
    {
        Id = Guid.NewGuid(), Email = $"p{i}@example.com", EmailKey = $"p{i}@example.com", Status = status, CreatedAt = Now, UpdatedAt = Now,
    };
}
