using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Drip.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Drip.Web.Auth;

/// <summary>
/// API clients authenticate with <c>Authorization: Bearer KEY</c> (or <c>X-Api-Key</c>). Valid keys are the
/// stored keys made with <c>drip apikey add</c> or the admin page (kept as hashes, revocable), those in
/// <c>Api:Keys</c>, and the per-run local admin token. Keys are compared as SHA-256 hashes in constant time;
/// no key is ever logged.
/// </summary>
internal static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    public static IServiceCollection AddDripAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<LocalAdminToken>();
        // Read when first needed, not at registration, so every configuration source (tests included) counts.
        services.AddSingleton(sp => new ConfiguredApiKeys(
            sp.GetRequiredService<IConfiguration>().GetSection("Api:Keys").Get<string[]>() ?? [],
            sp.GetRequiredService<LocalAdminToken>().Value));
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        services.AddAuthorization();
        return services;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        ConfiguredApiKeys configured, ApiKeys stored)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            string? key = null;
            var auth = Request.Headers.Authorization.ToString();
            if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                key = auth["Bearer ".Length..].Trim();
            }
            else if (Request.Headers.TryGetValue("X-Api-Key", out var header))
            {
                key = header.ToString();
            }
            if (string.IsNullOrEmpty(key))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }
            var client = configured.NameOf(key) ?? (stored.Verify(key) is { } record ? $"key {record.Id} ({record.Name})" : null);
            if (client is null)
            {
                return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, client)], ApiKeyAuthentication.Scheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme)));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        }
    }
}

/// <summary>The keys from configuration (<c>Api:Keys</c>) and the local admin token, held only as hashes.</summary>
internal sealed class ConfiguredApiKeys
{
    private readonly (byte[] Hash, string Name)[] _keys;

    public ConfiguredApiKeys(IEnumerable<string> keys, string localAdminToken)
    {
        var list = keys.ToList();
        if (list.Any(k => k.Length < 16))
        {
            throw new InvalidOperationException("Api:Keys: every API key must be at least 16 characters long");
        }
        _keys = list.Select((k, i) => (Hash(k), $"Api:Keys:{i}")).Append((Hash(localAdminToken), "local admin token")).ToArray();
    }

    /// <summary>Which configured key this is, or null; every key is compared, so the time taken says nothing.</summary>
    public string? NameOf(string key)
    {
        var hash = Hash(key);
        string? name = null;
        foreach (var (h, n) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(h, hash))
            {
                name = n;
            }
        }
        return name;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>A random admin token made for this run of the host and handed to local CLI verbs through data/host.json.</summary>
internal sealed class LocalAdminToken
{
    public string Value { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
