using System.Text.RegularExpressions;

namespace Drip.Inbound;

/// <summary>Report fields arrive folded across lines; callers want them on one line.</summary>
internal static partial class Whitespace
{
    public static string Collapse(string text) => Runs().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Runs();
}
