using Drip.Engagement;
using Drip.Subscribers;
using LiteDB;

namespace Drip.Storage;

/// <summary>
/// Runs one <see cref="SubscriberQuery"/> against LiteDB. Pages are read in <c>_id</c> order after the cursor,
/// so a page deep in a million subscribers costs what the first one does. LiteDB picks one index per query from
/// the conditions it can use and filters with the rest, and an index that many match (an email prefix most addresses
/// share) would sort all of them by id for every page. So this class chooses the index itself (a name or email
/// prefix, then a value few hold of an indexed custom field, then a rare status, else the id range) and writes every other condition in a form no index
/// matches, so LiteDB walks the chosen index and stops as soon as the page is full.
/// </summary>
internal sealed class LiteSubscriberSearch
{
    public const string FirstNameIndex = "FirstNamePrefix";
    public const string LastNameIndex = "LastNamePrefix";
    private const int MaxTextLength = 100;
    private const int IndexBudget = 5000;
    public static readonly string FirstNameKey = NamePrefix("FirstName");
    public static readonly string LastNameKey = NamePrefix("LastName");

    /// <summary>
    /// The status index holds only those who are not <see cref="SubscriberStatus.Active"/>: its expression gives an active
    /// subscriber no key (an empty list, as a multi-key index allows). Nearly everyone is active, and the index is read only
    /// for the few who are not (the rare statuses of a search, resuming pauses), while every import and status change of
    /// an active subscriber paid for a key: one of five indexes an import fills, 18% of a 300,000-row import's time.
    /// </summary>
    public const string StatusIndex = "StatusNotActive";

    public static readonly string StatusKey =
        BsonExpression.Create($"ITEMS(IIF($.Status = '{nameof(SubscriberStatus.Active)}', [], [$.Status]))").Source;

    /// <summary>The condition "holds the status in <paramref name="parameter"/>" as the status index answers it (never true of Active, which it does not hold).</summary>
    public static string WithStatus(string parameter) => $"{StatusKey} ANY = {parameter}";

    private readonly DripDatabase _db;
    private readonly SubscriberQuery _query;
    private readonly List<BsonValue> _parameters = [];
    private readonly List<string> _conditions = [];
    private readonly List<(string? Driving, string?[] More)> _plans = [];

    private static string NamePrefix(string field) =>
        BsonExpression.Create($"IIF(LENGTH($.{field}) > {MaxTextLength}, SUBSTRING($.{field}, 0, {MaxTextLength}), $.{field})").Source;

    public LiteSubscriberSearch(DripDatabase db, SubscriberQuery query)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, SubscriberQuery.MaxLimit);
        if (query.Field is { } field && !SubscriberQuery.IsFieldKey(field.Key))
        {
            throw new ArgumentException($"'{field.Key}' is not a field key (letters, digits and underscores)", nameof(query));
        }
        _db = db;
        _query = query;
    }

    public SubscriberPage Run()
    {
        var text = Text(_query.Text);
        var status = _query.Status is { } s ? Parameter(s.ToString()) : null;
        var after = _query.After is { } a ? $"$._id > {Parameter(a)}" : null;
        AddFilters();
        List<Subscriber> found;
        if (text is not null)
        {
            var pattern = Parameter(text + "%");
            string[] keys = text.Contains('@', StringComparison.Ordinal) ? ["$.EmailKey"] : ["$.EmailKey", FirstNameKey, LastNameKey];
            var withStatus = Optional(status is null ? null : $"$.Status = {status}");
            if (ManyAddressesStartWith(text))
            {
                // Through the email index LiteDB would read everyone the prefix matches and sort them by id (100,000 for a
                // prefix 1 in 10 hold: 300 ms a page); walking the ids finds a page after reading about ten pages' worth
                // when the matches are spread over the ids. They need not be: ids follow the order people came in, and a
                // list imported sorted by address has each prefix's people side by side, far down the ids (a million of
                // them: 2.4 s a page). So the walk goes no further than WalkWindow ids, and what it has not found by then is
                // read through the prefix indexes, past the window.
                var matching = Optional(string.Join(" OR ", keys.Select(key => $"{key} LIKE {pattern}")));
                var end = IdPast(_query.After, WalkWindow);
                found = end is null
                    ? Read(after, matching, withStatus)
                    : Read(_query.After is { } from ? $"$._id BETWEEN {Parameter(from)} AND {Parameter(end)}" : $"$._id <= {Parameter(end)}",
                        Optional(after), matching, withStatus);
                if (end is not null && found.Count <= _query.Limit)
                {
                    // Only the ids of everyone the prefix matches past the window (LiteDB reads the fields the conditions
                    // name and the id, not whole subscribers), then the page's own subscribers by id.
                    var past = Optional($"$._id > {Parameter(end)}");
                    var ids = keys.SelectMany(key => ReadIds($"{key} LIKE {pattern}", withStatus, past))
                        .Distinct().Order().Take(_query.Limit + 1 - found.Count).ToList();
                    found.AddRange(ByIds(ids));
                }
            }
            else
            {
                // One read per indexed prefix (an OR of them would use no index), merged in id order.
                found = keys
                    .SelectMany(key => Read($"{key} LIKE {pattern}", withStatus, Optional(after)))
                    .DistinctBy(x => x.Id)
                    .OrderBy(x => x.Id)
                    .Take(_query.Limit + 1)
                    .ToList();
            }
        }
        else if (IndexedField() is { } field && FieldHeldByFew(field))
        {
            // A value few hold of a field with an index (Storage:IndexedFields): the index finds them, however many it passes.
            found = Read($"$.Fields.{field.Key} = {Parameter(field.Value)}", Optional(after), Optional(status is null ? null : $"$.Status = {status}"));
        }
        else if (_query.Status is { } held && held != SubscriberStatus.Active && HeldByFew(held))
        {
            // A status few hold: its index finds them without walking everyone.
            found = Read(WithStatus(status!), Optional(after));
        }
        else
        {
            found = Read(after, Optional(status is null ? null : $"$.Status = {status}"));
        }
        var more = found.Count > _query.Limit;
        var page = more ? found.GetRange(0, _query.Limit) : found;
        var next = more ? page[^1].Id : (Guid?)null;
        if (text is not null && text.Contains('_', StringComparison.Ordinal))
        {
            // '_' is LIKE's one-character wildcard; keep only true prefixes (the cursor still moves past the others).
            page = page.Where(x => new[] { x.EmailKey, x.FirstName, x.LastName }
                .Any(v => v?.StartsWith(text, StringComparison.InvariantCultureIgnoreCase) == true)).ToList();
        }
        return new SubscriberPage(page, next);
    }

    /// <summary>How many ids a text search held by many walks before it reads the rest through the prefix indexes.</summary>
    internal int WalkWindow { get; init; } = 5_000;

    /// <summary>
    /// The id <paramref name="count"/> places past <paramref name="after"/> (or the first), or null when fewer are left. Read
    /// from the id index's keys alone: LiteDB loads no document for it.
    /// </summary>
    private Guid? IdPast(Guid? after, int count) => _db.Read(() =>
        IdKeysAfter(after).Offset(count - 1).Limit(1).ToDocuments().FirstOrDefault()?["id"].AsGuid);

    /// <summary>The ids after <paramref name="after"/> in order, as the id index holds them (for tests that check no document is read).</summary>
    internal ILiteQueryableResult<BsonDocument> IdKeysAfter(Guid? after) =>
        _db.Subscribers.Query()
            .Where(BsonExpression.Create("$._id > @0", after is { } a ? new BsonValue(a) : BsonValue.MinValue))
            .Select(BsonExpression.Create("{ id: $._id }"));

    /// <summary>
    /// Whether a status's index is the cheaper way to a page. Through the index LiteDB reads everyone who holds the
    /// status and sorts them by id (20,000 documents for 1 in 50 of a million: 250 ms a page); walking the ids reads about
    /// a page's worth times the rarity (2,500 for 1 in 50). LiteDB counts an expression's index by reading the documents,
    /// so the count stops one past the budget.
    /// </summary>
    private bool HeldByFew(SubscriberStatus status) =>
        _db.Read(() => HoldersOf(_db, status).Limit(IndexBudget + 1).Count()) <= IndexBudget;

    /// <summary>Those who hold a status other than Active, through the status index.</summary>
    internal static ILiteQueryable<Subscriber> HoldersOf(DripDatabase db, SubscriberStatus status)
    {
        ArgumentOutOfRangeException.ThrowIfEqual(status, SubscriberStatus.Active);
        return db.Subscribers.Query().Where(BsonExpression.Create(WithStatus("@0"), new BsonValue(status.ToString())));
    }

    /// <summary>The query's field condition, when that field has an index (keys as the import makes them: lower case).</summary>
    private FieldCondition? IndexedField() =>
        _query.Field is { } field && _db.IndexedFields.Contains(field.Key.ToLowerInvariant())
            ? field with { Key = field.Key.ToLowerInvariant() }
            : null;

    /// <summary>
    /// The same choice for an indexed field: through its index when few hold the value, else by walking the ids. LiteDB
    /// counts from the keys alone only for a top-level field, so this reads the holders through the index, stopping one
    /// past the budget: a value everyone holds costs that many reads, not a million.
    /// </summary>
    private bool FieldHeldByFew(FieldCondition field) =>
        _db.Read(() => HoldersUpTo(field, IndexBudget + 1).Count()) <= IndexBudget;

    /// <summary>The ids of up to <paramref name="most"/> holders of the field's value, through the field's index.</summary>
    internal IEnumerable<BsonDocument> HoldersUpTo(FieldCondition field, int most) =>
        _db.Subscribers.Query()
            .Where(BsonExpression.Create($"$.Fields.{field.Key} = @0", new BsonValue(field.Value)))
            .Select(BsonExpression.Create("{ _id: $._id }"))
            .Limit(most)
            .ToDocuments();

    /// <summary>
    /// The same choice for a text search, made on the email index, whose keys LiteDB can count without reading a document
    /// (the name indexes hold a truncated form of the name, so counting them would read every match).
    /// </summary>
    private bool ManyAddressesStartWith(string text) =>
        _db.Read(() => AddressKeysStartingWith(text).Limit(IndexBudget + 1).ToDocuments().Count()) > IndexBudget;

    /// <summary>
    /// The email index's keys that start with <paramref name="text"/>, read from the index alone (for tests that check no
    /// document is read). Counted up to one past the budget: a prefix a million share costs what one 5,001 share does.
    /// </summary>
    internal ILiteQueryableResult<BsonDocument> AddressKeysStartingWith(string text) =>
        _db.Subscribers.Query()
            .Where(BsonExpression.Create("$.EmailKey LIKE @0", new BsonValue(text + "%")))
            .Select(BsonExpression.Create("{ k: $.EmailKey }"));

    private static string? Text(string? text)
    {
        // '%' would be a wildcard; a longer text than the indexed prefix cannot match it.
        var cleaned = text?.Replace("%", "", StringComparison.Ordinal).Trim();
        return string.IsNullOrEmpty(cleaned) ? null : cleaned.Length > MaxTextLength ? cleaned[..MaxTextLength] : cleaned;
    }

    private void AddFilters()
    {
        if (_query.Field is { } field)
        {
            _conditions.Add(Optional($"$.Fields.{field.Key} = {Parameter(field.Value)}")!);
        }
        if (_query.Engagement is { } window)
        {
            var since = Parameter(window.ActiveSince.UtcDateTime);
            var fan = Parameter(window.FanClicks);
            // A missing date is null, which LiteDB orders before every date: "before" covers "never".
            var engaged = $"($.Engagement.LastOpenAt >= {since} OR $.Engagement.LastClickAt >= {since})";
            _conditions.Add(Optional(window.Level switch
            {
                EngagementLevel.Passive => $"$.Engagement.LastOpenAt < {since} AND $.Engagement.LastClickAt < {since}",
                EngagementLevel.Active => $"{engaged} AND $.Engagement.Clicks < {fan}",
                _ => $"{engaged} AND $.Engagement.Clicks >= {fan}",
            })!);
        }
    }

    /// <summary>Reads up to a page and one more in id order, walking the index of <paramref name="driving"/> (or all ids).</summary>
    private List<Subscriber> Read(string? driving, params string?[] more)
    {
        _plans.Add((driving, more));
        return _db.Read(() => Build(driving, more).ToList());
    }

    /// <summary>The ids of everyone <paramref name="driving"/> and the other conditions hold for, through that condition's index.</summary>
    private List<Guid> ReadIds(string driving, params string?[] more)
    {
        _plans.Add((driving, more));
        return _db.Read(() => Matching(driving, more).Select(BsonExpression.Create("{ id: $._id }")).ToDocuments().Select(d => d["id"].AsGuid).ToList());
    }

    /// <summary>The subscribers with these ids, in id order, read as a broadcast's recipients are.</summary>
    private List<Subscriber> ByIds(List<Guid> ids) => [.. new LiteSubscriberStore(_db).FindMany(ids).Values.OrderBy(x => x.Id)];

    private ILiteQueryableResult<Subscriber> Build(string? driving, string?[] more) =>
        Matching(driving, more).OrderBy(BsonExpression.Create("$._id")).Limit(_query.Limit + 1);

    /// <summary>The query with every condition of this search and <paramref name="driving"/>'s first, whose index LiteDB walks.</summary>
    private ILiteQueryable<Subscriber> Matching(string? driving, string?[] more)
    {
        var conditions = new[] { driving }.Concat(more).Concat(_conditions).OfType<string>().ToList();
        var query = _db.Subscribers.Query();
        return conditions.Count > 0 ? query.Where(BsonExpression.Create(string.Join(" AND ", conditions), [.. _parameters])) : query;
    }

    /// <summary>The index each read of the last <see cref="Run"/> walked, as LiteDB's plan names it (for tests).</summary>
    internal IReadOnlyList<string> IndexesUsed() =>
        _db.Read(() => _plans.ToList().Select(p => Build(p.Driving, p.More).GetPlan()["index"]["name"].AsString).ToList());

    /// <summary>A condition LiteDB tests on each document but cannot pick an index for (its left side is no index's expression).</summary>
    private static string? Optional(string? condition) => condition is null ? null : $"(({condition}) = true)";

    private string Parameter(BsonValue value)
    {
        _parameters.Add(value);
        return "@" + (_parameters.Count - 1);
    }
}
