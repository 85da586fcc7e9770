using Drip.Changes;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Subscribers;

/// <summary>
/// A batch read of suppressions looks up only the addresses that may have one (<see cref="SuppressionFilter"/>). These
/// tests hold it to never missing one: stored before the process, or written after the first batch read by any writer.
/// </summary>
public sealed class SuppressionLookupTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-suppression-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string DbPath => Path.Combine(_folder, "drip.db");

    private static Suppression Of(string email) =>
        new() { Id = Suppression.HashOf(email), Reason = SuppressionReason.Unsubscribed, At = Now, Detail = "test" };

    [Fact]
    public void A_suppression_stored_before_the_process_opened_the_store_is_found()
    {
        using (var db = new DripDatabase(DbPath))
        {
            new LiteSuppressionStore(db).Add(Of("ada@example.com"));
        }

        using var reopened = new DripDatabase(DbPath);
        var found = new LiteSuppressionStore(reopened).FindAll(["Ada@Example.com", "alan@example.com"]);

        Assert.Equal([Suppression.HashOf("ada@example.com")], found.Keys);
    }

    [Fact]
    public void Suppressions_written_after_the_first_batch_read_are_found_whichever_way_they_were_written()
    {
        using var db = new DripDatabase(DbPath);
        var store = new LiteSuppressionStore(db);
        string[] batch = ["one@example.com", "two@example.com", "three@example.com", "four@example.com"];
        Assert.Empty(store.FindAll(batch)); // the filter is built here, from an empty store

        store.Add(Of("one@example.com"));
        store.AddAll([Of("two@example.com")]);
        var changes = new ChangeSet();
        changes.Suppressions.Add(Of("three@example.com"));
        new LiteChangeWriter(db, new FakeTimeProvider(Now)).Write(changes);

        Assert.Equal(
            new[] { "one@example.com", "two@example.com", "three@example.com" }.Select(Suppression.HashOf).Order(StringComparer.Ordinal),
            store.FindAll(batch).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_suppression_lifted_and_written_again_is_found_and_a_lifted_one_is_not()
    {
        using var db = new DripDatabase(DbPath);
        var store = new LiteSuppressionStore(db);
        store.Add(Of("ada@example.com"));
        store.Add(Of("alan@example.com"));
        Assert.Equal(2, store.FindAll(["ada@example.com", "alan@example.com"]).Count);

        store.Remove("ada@example.com");
        store.Remove("alan@example.com");
        store.Add(Of("alan@example.com"));

        Assert.Equal([Suppression.HashOf("alan@example.com")], store.FindAll(["ada@example.com", "alan@example.com"]).Keys);
    }

    [Fact]
    public void Only_the_hashes_that_may_have_a_suppression_are_passed_on_to_the_lookup()
    {
        var loads = 0;
        var filter = new SuppressionFilter(() =>
        {
            loads++;
            return [Suppression.HashOf("stored@example.com")];
        });
        filter.Add([Suppression.HashOf("added@example.com")]);
        var asked = new[] { "stored@example.com", "added@example.com", "never@example.com" }.Select(Suppression.HashOf).ToList();

        Assert.Equal(asked.Take(2), filter.MayHold(asked));
        Assert.Equal(asked.Take(2), filter.MayHold(asked));
        Assert.Equal(1, loads); // the store is read once, on first use
        Assert.Equal(["odd-id"], new SuppressionFilter(() => ["odd-id"]).MayHold(["odd-id", "other"])); // an id that is not hex still works
    }
}
