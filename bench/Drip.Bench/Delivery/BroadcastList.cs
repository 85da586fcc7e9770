using Drip.Storage;
using Drip.Subscribers;

namespace Drip.Bench.Delivery;

/// <summary>The subscribers of a benchmark broadcast: written to a real LiteDB file before any timing starts.</summary>
internal static class BroadcastList
{
    public static readonly string[] FirstNames = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Felix", "Galina", "Hugo"];

    /// <remarks>
    /// The id is made as Drip makes every subscriber's (<see cref="Drip.Subscribers.Subscriber.NewId"/>, as the importer
    /// does, on the clock at each row), so the list lies in the file as an imported one does. Random ids, used before,
    /// gave a list no way into Drip produces: its documents scattered against the id order a broadcast reads them in,
    /// 2.4 page reads from the file a letter against 0.5.
    /// </remarks>
    public static Subscriber Subscriber(int i, DateTimeOffset now) => new()
    {
        Id = Drip.Subscribers.Subscriber.NewId(DateTimeOffset.UtcNow),
        Email = Email(i),
        EmailKey = Email(i),
        FirstName = FirstNames[i % FirstNames.Length],
        LastName = $"Reader{i}",
        TimeZone = "Europe/Berlin",
        CreatedAt = now.AddDays(-(i % 400)),
        ConsentAt = now.AddDays(-(i % 400)),
    };

    public static string Email(int i) => $"reader{i:D7}@example.test";

    /// <summary>Writes <paramref name="count"/> active subscribers into a new store at <paramref name="dataPath"/>.</summary>
    public static void Fill(string dataPath, int count)
    {
        var now = DateTimeOffset.UtcNow;
        using var db = new DripDatabase(Path.Combine(dataPath, "drip.db"));
        for (var start = 0; start < count; start += 50_000)
        {
            var chunk = new List<Subscriber>(Math.Min(50_000, count - start));
            for (var i = start; i < start + chunk.Capacity; i++)
            {
                chunk.Add(Subscriber(i, now));
            }
            db.InTransaction(() => db.Subscribers.InsertBulk(chunk));
        }
    }
}
