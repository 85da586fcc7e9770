using Drip.Storage;
using Drip.Subscribers;

namespace Drip.Bench.Delivery;

/// <summary>The subscribers of a benchmark broadcast: written to a real LiteDB file before any timing starts.</summary>
internal static class BroadcastList
{
    public static readonly string[] FirstNames = ["Anna", "Boris", "Clara", "Dmitri", "Elena", "Felix", "Galina", "Hugo"];

    public static Subscriber Subscriber(int i, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
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
