using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Drip.Accounts;

/// <summary>
/// Makes, checks and revokes the stored API keys. A key is <c>drip_</c> and 32 random bytes in base64url;
/// only its SHA-256 hash is stored (a key has 256 bits of entropy, so a fast hash is enough: nothing can be
/// guessed from it, unlike a password). Checking a key looks its hash up and compares in constant time.
/// The last-used time is written at most once a minute per key, so API traffic does not become store writes.
/// </summary>
public sealed class ApiKeys(IApiKeyStore store, TimeProvider clock)
{
    public const string KeyPrefix = "drip_";
    public const int MaxNameLength = 100;
    private const int PrefixLength = 4;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Makes a key named <paramref name="name"/>; the returned text is the only time the key is seen.</summary>
    public (ApiKey Record, string Key) Create(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("the key needs a name that says what it is for");
        }
        if (trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            throw new ArgumentException($"the name must be one line of at most {MaxNameLength} characters");
        }
        var key = KeyPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var record = new ApiKey
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Name = trimmed,
            Hash = HashOf(key),
            Prefix = key[..(KeyPrefix.Length + PrefixLength)],
            CreatedAt = clock.GetUtcNow(),
        };
        store.Save(record);
        return (record, key);
    }

    /// <summary>The live key <paramref name="key"/> is, or null when it is unknown or revoked.</summary>
    public ApiKey? Verify(string key)
    {
        if (!key.StartsWith(KeyPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return null;
        }
        var hash = HashOf(key);
        var found = store.FindByHash(hash);
        // The index found it by equality already; the fixed-time compare keeps the check itself free of timing.
        if (found is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(found.Hash), Encoding.ASCII.GetBytes(hash)))
        {
            return null;
        }
        if (found.RevokedAt is not null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        if (found.LastUsedAt is not { } last || now - last >= LastUsedResolution)
        {
            found.LastUsedAt = now;
            store.Save(found);
        }
        return found;
    }

    /// <summary>Revokes a key; false when there is no key with that id. Revoking twice keeps the first time.</summary>
    public bool Revoke(string id)
    {
        if (store.Find(id.Trim()) is not { } key)
        {
            return false;
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            store.Save(key);
        }
        return true;
    }

    public IReadOnlyList<ApiKey> List() => store.All().OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).ToList();

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
