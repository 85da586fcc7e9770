namespace Drip.Delivery;

/// <summary>
/// The DKIM key letters are signed with (section <c>Dkim</c>). Signing is off until a key is given, either as a
/// PEM file (<see cref="PrivateKeyPath"/>) or as PEM text (<see cref="PrivateKey"/>, e.g. <c>Dkim__PrivateKey</c>
/// from the environment so the key never sits in a file under git).
/// </summary>
public sealed class DkimOptions
{
    public const string Section = "Dkim";

    /// <summary>The signing domain (<c>d=</c>): the From domain or a parent of it, so DMARC sees it aligned.</summary>
    public string? Domain { get; set; }

    /// <summary>The selector (<c>s=</c>); the public key is published at <c>SELECTOR._domainkey.DOMAIN</c>.</summary>
    public string? Selector { get; set; }

    /// <summary>A PEM file holding the RSA private key; relative to the working directory.</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>The RSA private key as PEM text.</summary>
    public string? PrivateKey { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(PrivateKeyPath) || !string.IsNullOrWhiteSpace(PrivateKey);

    /// <summary>The configured key's PEM text. Callers report failures by setting name only: the text is a secret.</summary>
    internal string ReadKey() => !string.IsNullOrWhiteSpace(PrivateKey) ? PrivateKey : File.ReadAllText(PrivateKeyPath!);

    /// <summary>
    /// True when <paramref name="fromDomain"/> is <see cref="Domain"/> or lies beneath it (DMARC relaxed alignment).
    /// A single-label domain is never accepted: "com" would align with everyone.
    /// </summary>
    public bool AlignsWith(string fromDomain)
    {
        var signing = (Domain ?? "").Trim().TrimEnd('.');
        var from = fromDomain.Trim().TrimEnd('.');
        return signing.Contains('.', StringComparison.Ordinal)
            && (from.Equals(signing, StringComparison.OrdinalIgnoreCase)
                || from.EndsWith("." + signing, StringComparison.OrdinalIgnoreCase));
    }
}
