using Drip.Storage;
using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

/// <summary>Reading a batch's recipients: neighbouring ids in one walk of their range, scattered ones one by one, exactly the ones asked for either way.</summary>
public sealed class SubscriberBatchReadTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _store;
    private readonly List<Guid> _ids;

    public SubscriberBatchReadTests()
    {
        _store = new LiteSubscriberStore(_db);
        // Random ids exercise the store's Guid order against .NET's: the range must hold every id between the two ends.
        var random = new Random(11);
        _ids = Enumerable.Range(0, 2000).Select(_ => new Guid(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 16))).ToList();
        _store.Save(_ids.Select((id, i) => new Subscriber { Id = id, Email = $"p{i}@example.org", EmailKey = $"p{i}@example.org" }).ToList());
        _ids.Sort();
    }

    public void Dispose() => _db.Dispose();

    private bool ReadsRange(IReadOnlyCollection<Guid> ids) => _db.Read(() => _store.NeighbourRange(ids) is not null);

    [Fact]
    public void Neighbouring_ids_are_read_in_one_walk_of_their_range_and_only_those_asked_for_come_back()
    {
        // 300 neighbours, with every fifth left out (not mailable, say), and one among them erased since its send was claimed.
        var asked = _ids.Skip(500).Take(300).Where((_, i) => i % 5 != 0).ToList();
        var erased = asked[100];
        _store.Delete(erased);

        var found = _store.FindMany(asked);

        Assert.True(ReadsRange(asked));
        Assert.Equal(asked.Where(id => id != erased).Order(), found.Keys.Order());
        Assert.All(found, f => Assert.Equal(f.Key, f.Value.Id));
    }

    [Fact]
    public void Scattered_ids_and_small_batches_are_read_one_by_one_and_come_back_the_same()
    {
        var scattered = _ids.Where((_, i) => i % 40 == 0).ToList(); // 50 ids across all 2,000
        var few = _ids.Skip(100).Take(10).ToList();

        var fromScattered = _store.FindMany(scattered);
        var fromFew = _store.FindMany(few);

        Assert.False(ReadsRange(scattered));
        Assert.False(ReadsRange(few));
        Assert.Equal(scattered, fromScattered.Keys.Order());
        Assert.Equal(few, fromFew.Keys.Order());
        Assert.Empty(_store.FindMany([]));
    }
}
