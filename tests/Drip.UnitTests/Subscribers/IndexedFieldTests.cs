using Drip.Storage;
using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

/// <summary>Custom fields named in <c>Storage:IndexedFields</c>: indexed in the store, and searched through that index.</summary>
public sealed class IndexedFieldTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-fields-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Subscriber Person(int i, string city)
    {
        var email = $"person{i:D5}@example.org";
        return new Subscriber
        {
            Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = "Reader", Status = SubscriberStatus.Active,
            Fields = new(StringComparer.OrdinalIgnoreCase) { ["city"] = city, ["company"] = $"Shop {i % 7}" },
        };
    }

    private static (List<Subscriber> All, IReadOnlyList<string> Indexes) Search(DripDatabase db, SubscriberQuery query)
    {
        var search = new LiteSubscriberSearch(db, query);
        var all = new List<Subscriber>();
        var page = search.Run();
        var indexes = search.IndexesUsed();
        all.AddRange(page.Items);
        while (page.NextAfter is { } next)
        {
            page = new LiteSubscriberSearch(db, query with { After = next }).Run();
            all.AddRange(page.Items);
        }
        return (all, indexes);
    }

    [Fact]
    public void A_value_few_hold_of_an_indexed_field_is_found_through_its_index_and_its_pages_stay_complete()
    {
        using var db = new DripDatabase(new MemoryStream(), ["city"]);
        var store = new LiteSubscriberStore(db);
        store.Save(Enumerable.Range(0, 6000).Select(i => Person(i, i % 200 == 0 ? "Kazan" : "Omsk")).ToList());

        var (kazan, byIndex) = Search(db, new SubscriberQuery { Field = new FieldCondition("city", "kazan"), Limit = 10 });
        var (nowhere, noneByIndex) = Search(db, new SubscriberQuery { Field = new FieldCondition("City", "Atlantis") });
        var (omsk, walked) = Search(db, new SubscriberQuery { Field = new FieldCondition("city", "Omsk"), Limit = SubscriberQuery.MaxLimit });

        Assert.Equal([DripDatabase.FieldIndex("city")], byIndex);
        Assert.Equal(30, kazan.Count);
        Assert.All(kazan, s => Assert.Equal("Kazan", s.Fields["city"]));
        Assert.Equal(kazan.Select(s => s.Id).Order(), kazan.Select(s => s.Id));
        Assert.Empty(nowhere);
        Assert.Equal([DripDatabase.FieldIndex("city")], noneByIndex);
        // 5,970 hold "Omsk": more than the index is worth reading for a page, so the ids are walked.
        Assert.Equal(["_id"], walked);
        Assert.Equal(5970, omsk.Count);
    }

    [Fact]
    public void A_field_without_an_index_is_found_by_walking_the_ids()
    {
        using var db = new DripDatabase(new MemoryStream(), ["city"]);
        new LiteSubscriberStore(db).Save(Enumerable.Range(0, 70).Select(i => Person(i, "Omsk")).ToList());

        var (found, indexes) = Search(db, new SubscriberQuery { Field = new FieldCondition("company", "Shop 3") });

        Assert.Equal(["_id"], indexes);
        Assert.Equal(10, found.Count);
    }

    [Fact]
    public void Field_indexes_follow_the_configuration_and_a_store_opened_without_one_keeps_them()
    {
        var path = Path.Combine(_folder, "drip.db");
        using (var db = new DripDatabase(path, ["city", "Plan"]))
        {
            Assert.Equal(["city", "plan"], db.IndexedFields.Order(StringComparer.Ordinal));
        }
        using (var db = new DripDatabase(path, ["city"]))
        {
            Assert.Equal(["city"], db.IndexedFields);
        }
        using (var db = new DripDatabase(path))
        {
            Assert.Equal(["city"], db.IndexedFields); // drip check opens it so: it changes nothing
        }

        var error = Assert.Throws<InvalidOperationException>(() => new DripDatabase(path, ["home town"]));
        Assert.Contains("Storage:IndexedFields: 'home town' is not a field key", error.Message);
        var tooLong = Assert.Throws<InvalidOperationException>(() => new DripDatabase(path, [new string('a', 31)]));
        Assert.Contains("longer than the 30 characters", tooLong.Message);
        using (var db = new DripDatabase(path, ["город", new string('a', 30)]))
        {
            Assert.Equal(2, db.IndexedFields.Count);
        }
    }

    [Fact]
    public void Telling_whether_few_hold_a_value_reads_its_holders_through_the_index_and_stops_past_the_budget()
    {
        using var db = new DripDatabase(new MemoryStream(), ["city"]);
        new LiteSubscriberStore(db).Save(Enumerable.Range(0, 300).Select(i => Person(i, "Omsk")).ToList());
        var search = new LiteSubscriberSearch(db, new SubscriberQuery());
        var omsk = new FieldCondition("city", "Omsk");

        Assert.Equal(101, search.HoldersUpTo(omsk, 101).Count());
        var plan = db.Subscribers.Query().Where(LiteDB.BsonExpression.Create("$.Fields.city = @0", new LiteDB.BsonValue("Omsk"))).Limit(101).GetPlan();
        Assert.Equal(DripDatabase.FieldIndex("city"), plan["index"]["name"].AsString);
    }
}
