using System.Text.RegularExpressions;

namespace Drip.Inbound;

/// <summary>Normalises recipient addresses taken from report fields and bounce text.</summary>
internal static partial class Addresses
{
    /// <summary>
    /// The bare address, or null when there is none: feedback loops that redact the recipient leave
    /// placeholders such as "redacted", "[redacted]@example.net" or "xxxxx", which must not be suppressed.
    /// </summary>
    public static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var match = Address().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var address = match.Value;
        var local = address[..address.IndexOf('@', StringComparison.Ordinal)];
        return local.Contains("redacted", StringComparison.OrdinalIgnoreCase) || local.All(c => c is 'x' or 'X' or '*')
            ? null
            : address;
    }

    [GeneratedRegex(@"[^\s<>()\[\],;:""@]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
