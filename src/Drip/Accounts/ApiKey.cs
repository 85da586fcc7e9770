namespace Drip.Accounts;

/// <summary>
/// A key a machine client uses for the REST API. Only the SHA-256 hash of the key is kept; the key itself
/// is shown once, when it is made. <see cref="Prefix"/> (the first few characters) lets a person tell keys apart.
/// </summary>
public sealed class ApiKey
{
    /// <summary>A short random id, used to list and revoke the key; it reveals nothing about the key.</summary>
    public string Id { get; set; } = "";

    /// <summary>What the key is for, as its maker named it ("crm sync").</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex of SHA-256 over the key's UTF-8 bytes; the unique index keys are found by.</summary>
    public string Hash { get; set; } = "";

    /// <summary>The key's first characters (<c>drip_AbCd</c>), enough to recognise it, far too few to guess it.</summary>
    public string Prefix { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the key last opened the API, to the minute (it is written at most once a minute).</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>When the key was revoked; a revoked key opens nothing, and the record stays for the audit trail.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>What <see cref="ApiKeys"/> needs from wherever keys are kept.</summary>
public interface IApiKeyStore
{
    ApiKey? Find(string id);

    ApiKey? FindByHash(string hash);

    IReadOnlyList<ApiKey> All();

    void Save(ApiKey key);
}
