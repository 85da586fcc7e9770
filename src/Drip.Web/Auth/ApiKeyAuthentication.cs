using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Drip.Web.Auth;

/// <summary>
/// API clients authenticate with <c>Authorization: Bearer KEY</c> (or <c>X-Api-Key</c>). Valid keys are
/// those in <c>Api:Keys</c> and the per-run local admin token. Keys are compared as SHA-256 hashes in
/// constant time; no key is ever logged.
/// </summary>
internal static class ApiKeyAuthentication
{
    public const string Scheme = "ApiKey";

    public static IServiceCollection AddDripAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<LocalAdminToken>();
        // Read when first needed, not at registration, so every configuration source (tests included) counts.
        services.AddSingleton(sp => new ApiKeys(
            (sp.GetRequiredService<IConfiguration>().GetSection("Api:Keys").Get<string[]>() ?? [])
                .Append(sp.GetRequiredService<LocalAdminToken>().Value)));
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        services.AddAuthorization();
        return services;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
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
            if (!keys.IsValid(key))
            {
                return Task.FromResult(AuthenticateResult.Fail("invalid API key"));
            }
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api")], ApiKeyAuthentication.Scheme);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyAuthentication.Scheme)));
        }
    }
}

/// <summary>The accepted API keys, held only as hashes.</summary>
internal sealed class ApiKeys
{
    private readonly byte[][] _hashes;

    public ApiKeys(IEnumerable<string> keys)
    {
        var list = keys.ToList();
        if (list.Any(k => k.Length < 16))
        {
            throw new InvalidOperationException("Api:Keys: every API key must be at least 16 characters long");
        }
        _hashes = list.Select(Hash).ToArray();
    }

    public bool IsValid(string key)
    {
        var hash = Hash(key);
        var ok = false;
        foreach (var h in _hashes)
        {
            ok |= CryptographicOperations.FixedTimeEquals(h, hash);
        }
        return ok;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>A random admin token made for this run of the host and handed to local CLI verbs through data/host.json.</summary>
internal sealed class LocalAdminToken
{
    public string Value { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
