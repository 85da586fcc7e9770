using System.Globalization;
using System.Text.RegularExpressions;

namespace Drip.Subscribers;

/// <summary>Validates and normalises addresses the way Drip stores them.</summary>
public static partial class EmailAddress
{
    private static readonly IdnMapping Idn = new();

    /// <summary>
    /// Returns the normalised address (trimmed, domain lower-cased and IDN-decoded to Unicode),
    /// or null with a reason when the text is not a deliverable address.
    /// </summary>
    public static string? Normalise(string? text, out string? error)
    {
        error = null;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "email is empty";
            return null;
        }
        if (value.Length > 254)
        {
            error = "email is longer than 254 characters";
            return null;
        }
        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            error = $"'{value}' is not an email address";
            return null;
        }
        var local = value[..at];
        var domain = value[(at + 1)..].TrimEnd('.');
        if (local.Length > 64 || !LocalPart().IsMatch(local))
        {
            error = $"'{value}' has an invalid local part";
            return null;
        }
        try
        {
            // Round-trip through punycode: rejects malformed labels, accepts IDN domains.
            var ascii = Idn.GetAscii(domain).ToLowerInvariant();
            if (!DomainPart().IsMatch(ascii))
            {
                error = $"'{value}' has an invalid domain";
                return null;
            }
            return $"{local}@{Idn.GetUnicode(ascii)}";
        }
        catch (ArgumentException)
        {
            error = $"'{value}' has an invalid domain";
            return null;
        }
    }

    /// <summary>The case-insensitive identity of an address, used as the unique key.</summary>
    public static string Key(string normalised) => normalised.ToLowerInvariant();

    // Dot-atom of RFC 5322 plus UTF-8 (RFC 6531); quoted local parts are refused as no real list needs them.
    [GeneratedRegex(@"^[^\s@""(),:;<>\[\]\\.]+(\.[^\s@""(),:;<>\[\]\\.]+)*$")]
    private static partial Regex LocalPart();

    [GeneratedRegex(@"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")]
    private static partial Regex DomainPart();
}
