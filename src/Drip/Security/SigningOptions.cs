namespace Drip.Security;

/// <summary>
/// Keys for signed public links (section <c>Signing</c>). Configure <c>Signing:Keys:ID</c> (base64, ≥32 bytes)
/// and <c>Signing:CurrentKeyId</c> in production; with none, Drip generates one into the data folder on first run.
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Signing";

    public string? CurrentKeyId { get; set; }

    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);
}
