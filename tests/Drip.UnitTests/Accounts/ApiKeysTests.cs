using Drip.Accounts;
using Drip.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Accounts;

public sealed class ApiKeysTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly ApiKeys _keys;

    public ApiKeysTests() => _keys = new ApiKeys(new LiteApiKeyStore(_db), _clock);

    [Fact]
    public void A_new_key_is_random_recognisable_and_stored_only_as_its_hash()
    {
        var (record, key) = _keys.Create("crm sync");
        var (_, other) = _keys.Create("crm sync");

        Assert.StartsWith("drip_", key);
        Assert.Equal(5 + 43, key.Length); // 32 bytes in base64url, no padding
        Assert.NotEqual(key, other);
        Assert.Equal(key[..9], record.Prefix);
        var stored = _db.Database.GetCollection("api_keys").FindById(record.Id);
        Assert.DoesNotContain(key, LiteDB.JsonSerializer.Serialize(stored));
        Assert.DoesNotContain(key[9..], LiteDB.JsonSerializer.Serialize(stored));
        Assert.Equal(ApiKeys.HashOf(key), stored["Hash"].AsString);
    }

    [Fact]
    public void A_key_opens_until_it_is_revoked_and_a_near_miss_never_does()
    {
        var (record, key) = _keys.Create("shop");

        Assert.Equal(record.Id, _keys.Verify(key)?.Id);
        Assert.Null(_keys.Verify(key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(_keys.Verify(key.ToUpperInvariant()));
        Assert.Null(_keys.Verify(record.Hash));
        Assert.Null(_keys.Verify(""));

        Assert.True(_keys.Revoke(record.Id));
        Assert.Null(_keys.Verify(key));
        Assert.False(_keys.Revoke("no-such-id"));
    }

    [Fact]
    public void Last_use_is_written_at_most_once_a_minute()
    {
        var (record, key) = _keys.Create("shop");
        var start = _clock.GetUtcNow();

        _keys.Verify(key);
        _clock.Advance(TimeSpan.FromSeconds(59));
        _keys.Verify(key);
        Assert.Equal(start, _keys.List().Single().LastUsedAt);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _keys.Verify(key);
        Assert.Equal(start.AddMinutes(1), _keys.List().Single(k => k.Id == record.Id).LastUsedAt);
    }

    [Fact]
    public void Revoking_twice_keeps_the_first_time()
    {
        var (record, _) = _keys.Create("shop");
        _keys.Revoke(record.Id);
        var first = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromHours(1));

        _keys.Revoke(record.Id);

        Assert.Equal(first, _keys.List().Single().RevokedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("two\nlines")]
    public void A_key_needs_a_one_line_name(string name)
    {
        Assert.Throws<ArgumentException>(() => _keys.Create(name));
        Assert.Empty(_keys.List());
    }

    public void Dispose() => _db.Dispose();
}
