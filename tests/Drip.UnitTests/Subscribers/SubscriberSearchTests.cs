using Drip.Engagement;
using Drip.Storage;
using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

public sealed class SubscriberSearchTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 4, 14, 8, 30, 0, TimeSpan.Zero);

    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _store;

    public SubscriberSearchTests() => _store = new LiteSubscriberStore(_db);

    public void Dispose() => _db.Dispose();

    private static Subscriber Person(int i, string? first = "Reader", string? last = null, SubscriberStatus status = SubscriberStatus.Active)
    {
        var email = $"person{i:D5}@example.org";
        return new Subscriber { Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = first, LastName = last, Status = status, CreatedAt = Now };
    }

    private List<Subscriber> Everything(SubscriberQuery query, out int pages)
    {
        var all = new List<Subscriber>();
        pages = 0;
        while (true)
        {
            var page = _store.Search(query);
            pages++;
            Assert.True(page.Items.Count <= query.Limit);
            all.AddRange(page.Items);
            if (page.NextAfter is not { } next)
            {
                return all;
            }
            Assert.True(SubscriberCursor.TryDecode(page.NextCursor, out var decoded));
            query = query with { After = decoded };
            Assert.Equal(next, decoded);
            Assert.True(pages < 1000, "the pages never end");
        }
    }

    [Fact]
    public void Pages_of_a_hundred_visit_each_of_1050_subscribers_exactly_once()
    {
        var people = Enumerable.Range(0, 1050).Select(i => Person(i)).ToList();
        _store.Save(people);

        var seen = Everything(new SubscriberQuery { Limit = 100 }, out var pages);

        Assert.Equal(11, pages);
        Assert.Equal(1050, seen.Count);
        Assert.Equal(people.Select(p => p.Id).Order(), seen.Select(s => s.Id).Order());
        Assert.Equal(seen.Select(s => s.Id).Order(), seen.Select(s => s.Id));
    }

    [Fact]
    public void Filtered_pages_visit_each_match_once_and_nothing_else()
    {
        var people = Enumerable.Range(0, 600).Select(i => Person(i,
            status: i % 7 == 0 ? SubscriberStatus.Unsubscribed : SubscriberStatus.Active,
            last: i % 3 == 0 ? "Annenkova" : "Smith")).ToList();
        foreach (var p in people.Where((_, i) => i % 2 == 0))
        {
            p.Fields["city"] = "Kazan";
        }
        _store.Save(people);

        var active = Everything(new SubscriberQuery { Status = SubscriberStatus.Active, Limit = 50 }, out _);
        var left = Everything(new SubscriberQuery { Status = SubscriberStatus.Unsubscribed, Limit = 30 }, out _);
        var kazan = Everything(new SubscriberQuery { Field = new FieldCondition("CITY", "kazan"), Status = SubscriberStatus.Active, Limit = 40 }, out _);
        var anns = Everything(new SubscriberQuery { Text = "ann", Status = SubscriberStatus.Active, Limit = 25 }, out _);

        Assert.Equal(people.Where(p => p.Status == SubscriberStatus.Active).Select(p => p.Id).Order(), active.Select(s => s.Id));
        Assert.Equal(people.Where(p => p.Status == SubscriberStatus.Unsubscribed).Select(p => p.Id).Order(), left.Select(s => s.Id));
        Assert.Equal(people.Where((p, i) => i % 2 == 0 && p.Status == SubscriberStatus.Active).Select(p => p.Id).Order(), kazan.Select(s => s.Id));
        Assert.Equal(people.Where(p => p.LastName == "Annenkova" && p.Status == SubscriberStatus.Active).Select(p => p.Id).Order(), anns.Select(s => s.Id));
    }

    [Theory]
    [InlineData("ann", new[] { "anna@example.org", "petr@example.org", "olga@example.org" })]
    [InlineData("ANNA@", new[] { "anna@example.org" })]
    [InlineData("annenk", new[] { "olga@example.org" })]
    [InlineData("nna", new string[0])]
    [InlineData("ol_a", new[] { "ol_a@example.org" })]
    public void Text_is_a_case_insensitive_prefix_of_the_email_or_either_name(string text, string[] expected)
    {
        Subscriber Named(string email, string? first, string? last) =>
            new() { Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = first, LastName = last, CreatedAt = Now };
        _store.Save([
            Named("anna@example.org", "Anna", "Petrova"),
            Named("petr@example.org", "Annushka", null),
            Named("olga@example.org", "Olga", "Annenkova"),
            Named("oleg@example.org", "Oleg", "Joanna"),
            Named("olxa@example.org", "Oxana", null),
            Named("ol_a@example.org", null, null),
        ]);

        var found = _store.Search(new SubscriberQuery { Text = text }).Items.Select(s => s.Email).Order();

        Assert.Equal(expected.Order(), found);
    }

    [Fact]
    public void Engagement_levels_match_the_judge_at_the_edges()
    {
        var options = new EngagementOptions();
        var judge = new EngagementJudge(options);
        var edge = Now - options.ActiveWithin;
        (DateTimeOffset? Open, DateTimeOffset? Click, int Clicks)[] cases =
        [
            (null, null, 0), (edge, null, 0), (edge.AddSeconds(-1), null, 0), (null, edge, 9), (null, edge.AddSeconds(-1), 9),
            (Now, null, 4), (Now, Now, 5), (edge.AddDays(-10), Now.AddDays(-1), 12), (Now.AddDays(-3), edge.AddDays(-1), 1),
        ];
        var people = cases.Select((c, i) =>
        {
            var p = Person(i);
            p.Engagement = new EngagementRecord { LastOpenAt = c.Open, LastClickAt = c.Click, Clicks = c.Clicks };
            return p;
        }).ToList();
        _store.Save(people);

        foreach (var level in Enum.GetValues<EngagementLevel>())
        {
            var found = _store.Search(new SubscriberQuery { Engagement = judge.Window(level, Now) }).Items.Select(s => s.Id).Order();
            var expected = people.Where(p => judge.LevelOf(p, Now) == level).Select(p => p.Id).Order();
            Assert.Equal(expected, found);
        }
    }

    [Fact]
    public void Each_kind_of_query_walks_the_index_that_keeps_it_fast()
    {
        _store.Save(Enumerable.Range(0, 50).Select(i => Person(i)).ToList());
        string[] Indexes(SubscriberQuery query)
        {
            var search = new LiteSubscriberSearch(_db, query);
            search.Run();
            return [.. search.IndexesUsed()];
        }
        var after = Guid.NewGuid();

        Assert.Equal(["_id"], Indexes(new SubscriberQuery { Status = SubscriberStatus.Active, After = after, Field = new FieldCondition("city", "Kazan") }));
        Assert.Equal(["_id"], Indexes(new SubscriberQuery { Engagement = new EngagementJudge(new EngagementOptions()).Window(EngagementLevel.Fan, Now) }));
        Assert.Equal([LiteSubscriberSearch.StatusIndex], Indexes(new SubscriberQuery { Status = SubscriberStatus.Bounced, After = after }));
        Assert.Equal(["EmailKey", LiteSubscriberSearch.FirstNameIndex, LiteSubscriberSearch.LastNameIndex],
            Indexes(new SubscriberQuery { Text = "ann", Status = SubscriberStatus.Bounced, After = after }));
    }

    [Fact]
    public void A_status_held_by_many_is_found_by_walking_the_ids_and_its_pages_stay_complete()
    {
        // 5,001 unsubscribed among 6,002: more than the status index is worth reading for a page.
        _store.Save(Enumerable.Range(0, 6002).Select(i => Person(i, status: i % 6 == 0 ? SubscriberStatus.Active : SubscriberStatus.Unsubscribed)).ToList());
        var query = new SubscriberQuery { Status = SubscriberStatus.Unsubscribed, Limit = SubscriberQuery.MaxLimit };
        var search = new LiteSubscriberSearch(_db, query);

        var first = search.Run();
        var all = Everything(query, out var pages);

        Assert.Equal(["_id"], search.IndexesUsed());
        Assert.All(first.Items, s => Assert.Equal(SubscriberStatus.Unsubscribed, s.Status));
        Assert.Equal(5001, all.Count);
        Assert.Equal(all.Select(s => s.Id).Order(), all.Select(s => s.Id));
        Assert.Equal(26, pages);
    }

    [Fact]
    public void An_email_prefix_held_by_many_is_found_by_walking_the_ids_and_its_pages_stay_complete()
    {
        // 6,000 addresses start with "person" (person00000…person05999), 1,000 of them with "person00"; one more reader is
        // found by her first name only.
        var people = Enumerable.Range(0, 6000).Select(i => Person(i)).ToList();
        var byName = Person(0, first: "Personne");
        byName.Email = byName.EmailKey = "zoe@example.org";
        people.Add(byName);
        _store.Save(people);
        IReadOnlyList<string> Indexes(SubscriberQuery query)
        {
            var search = new LiteSubscriberSearch(_db, query);
            search.Run();
            return search.IndexesUsed();
        }
        var common = new SubscriberQuery { Text = "person", Limit = SubscriberQuery.MaxLimit };

        var all = Everything(common, out var pages);

        Assert.Equal(["_id"], Indexes(common));
        Assert.Equal(6001, all.Count); // every address, and the one first name that starts with it
        Assert.Equal(all.Select(s => s.Id).Order(), all.Select(s => s.Id));
        Assert.Equal(31, pages);
        Assert.Equal(["EmailKey", LiteSubscriberSearch.FirstNameIndex, LiteSubscriberSearch.LastNameIndex],
            Indexes(new SubscriberQuery { Text = "person00" }));
        Assert.Equal(1000, Everything(new SubscriberQuery { Text = "person00", Limit = SubscriberQuery.MaxLimit }, out _).Count);
    }

    [Fact]
    public void An_email_prefix_held_by_many_people_side_by_side_far_down_the_ids_is_read_through_its_index_past_a_short_walk()
    {
        // Ids in the order people came in, as Drip makes them, and a list imported sorted by address: 2,000 "aaa…" first,
        // 20 of them "person…" too, then 6,000 "person…". A walk of the ids would read 2,000 people before the first full page.
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var people = Enumerable.Range(0, 8000).Select(i =>
        {
            var p = Person(i);
            p.Id = Subscriber.NewId(start.AddMilliseconds(i));
            p.Email = p.EmailKey = i < 2000 && i % 100 != 0 ? $"aaa{i:D5}@example.org" : $"person{i:D5}@example.org";
            return p;
        }).ToList();
        _store.Save(people);
        var expected = people.Where(p => p.EmailKey.StartsWith("person", StringComparison.Ordinal)).Select(p => p.Id).ToList();
        const int window = 300;

        var found = new List<Guid>();
        var query = new SubscriberQuery { Text = "person", Limit = SubscriberQuery.MaxLimit };
        var plans = new List<IReadOnlyList<string>>();
        while (true)
        {
            var search = new LiteSubscriberSearch(_db, query) { WalkWindow = window };
            var page = search.Run();
            plans.Add(search.IndexesUsed());
            found.AddRange(page.Items.Select(s => s.Id));
            if (page.NextAfter is not { } next)
            {
                break;
            }
            query = query with { After = next };
            Assert.True(plans.Count < 100, "the pages never end");
        }

        Assert.Equal(expected, found); // every match once, in id order, across the switch from the walk to the index
        Assert.Equal(["_id", "EmailKey", LiteSubscriberSearch.FirstNameIndex, LiteSubscriberSearch.LastNameIndex], plans[0]);
        Assert.Equal(["_id"], plans[^1]); // the last page: fewer than a window of ids are left, so they are walked
        // The window's end, and whether many addresses share the prefix, come from index keys, without reading a document.
        var probe = new LiteSubscriberSearch(_db, query);
        Assert.Equal("index", probe.IdKeysAfter(null).GetPlan()["lookup"]["loader"].AsString);
        Assert.Equal(("EmailKey", "index"), (probe.AddressKeysStartingWith("person").GetPlan()["index"]["name"].AsString,
            probe.AddressKeysStartingWith("person").GetPlan()["lookup"]["loader"].AsString));
    }

    [Fact]
    public void A_cursor_round_trips_and_a_tampered_one_is_refused()
    {
        var id = Guid.NewGuid();
        var cursor = SubscriberCursor.Encode(id);

        Assert.True(SubscriberCursor.TryDecode(cursor, out var back));
        Assert.Equal(id, back);
        Assert.DoesNotContain('/', cursor);
        Assert.False(SubscriberCursor.TryDecode(cursor[..^1], out _));
        Assert.False(SubscriberCursor.TryDecode("not a cursor at all!!!", out _));
        Assert.False(SubscriberCursor.TryDecode(null, out _));
    }

    [Theory]
    [InlineData("city:Kazan", "city", "Kazan")]
    [InlineData("purchase_date=2026-01-02", "purchase_date", "2026-01-02")]
    [InlineData("city", null, null)]
    [InlineData("ci ty:Kazan", null, null)]
    [InlineData("$.Status:x", null, null)]
    public void A_field_condition_is_a_field_key_and_a_value(string text, string? key, string? value)
    {
        var parsed = FieldCondition.Parse(text);

        Assert.Equal(key, parsed?.Key);
        Assert.Equal(value, parsed?.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public void A_page_holds_one_to_two_hundred(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Search(new SubscriberQuery { Limit = limit }));
}
