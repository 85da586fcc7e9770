using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Drip.Delivery;

/// <summary>
/// Checks the DKIM settings at start-up, against the Sender section too: a signature whose domain is not
/// aligned with the From address counts for nothing under DMARC, so that is a configuration error, not a warning.
/// Messages name the settings but never show the key.
/// </summary>
public sealed class DkimOptionsValidator(IConfiguration configuration) : IValidateOptions<DkimOptions>
{
    /// <summary>Gmail and Yahoo refuse to count shorter keys.</summary>
    private const int MinimumKeyBits = 1024;

    public ValidateOptionsResult Validate(string? name, DkimOptions options)
    {
        // The raw setting, not the validated SenderOptions: reading those here would report a Sender problem twice.
        var problems = Problems(options, configuration[$"{SenderOptions.Section}:{nameof(SenderOptions.Address)}"] ?? "").ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(DkimOptions options, string fromAddress)
    {
        if (!options.Enabled)
        {
            yield break;
        }
        if (!string.IsNullOrWhiteSpace(options.PrivateKeyPath) && !string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            yield return "Dkim:PrivateKeyPath and Dkim:PrivateKey are both set: set only one of them.";
            yield break;
        }
        if (string.IsNullOrWhiteSpace(options.Domain))
        {
            yield return "Dkim:Domain is required when a DKIM key is set (the d= domain, e.g. the domain of Sender:Address).";
        }
        if (string.IsNullOrWhiteSpace(options.Selector))
        {
            yield return "Dkim:Selector is required when a DKIM key is set (the public key lives at SELECTOR._domainkey.DOMAIN).";
        }
        var fromDomain = fromAddress[(fromAddress.LastIndexOf('@') + 1)..];
        if (!string.IsNullOrWhiteSpace(options.Domain) && !options.AlignsWith(fromDomain))
        {
            yield return $"Dkim:Domain '{options.Domain}' is not aligned with Sender:Address '{fromAddress}': "
                + $"it must be '{fromDomain}' or a parent domain of it, or DMARC ignores the signature.";
        }
        if (KeyProblem(options) is { } keyProblem)
        {
            yield return keyProblem;
        }
    }

    private static string? KeyProblem(DkimOptions options)
    {
        var setting = string.IsNullOrWhiteSpace(options.PrivateKey) ? $"Dkim:PrivateKeyPath '{options.PrivateKeyPath}'" : "Dkim:PrivateKey";
        if (string.IsNullOrWhiteSpace(options.PrivateKey) && !File.Exists(options.PrivateKeyPath))
        {
            return $"{setting} does not exist.";
        }
        try
        {
            var bits = LetterSigner.KeyBits(options);
            return bits < MinimumKeyBits
                ? $"{setting} is a {bits}-bit key; use at least {MinimumKeyBits} bits (2048 recommended)."
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{setting} cannot be read: {e.Message}";
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // The exception text is left out on purpose: parsers may quote the input, and the input is the key.
            return $"{setting} does not hold an RSA private key in PEM form "
                + "('-----BEGIN RSA PRIVATE KEY-----' or '-----BEGIN PRIVATE KEY-----', unencrypted).";
        }
    }
}
