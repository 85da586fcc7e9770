using System.Net;
using System.Text.RegularExpressions;

namespace Drip.Inbound;

/// <summary>Good-enough HTML to text for finding status codes in HTML-only bounces; not for display.</summary>
internal static partial class HtmlText
{
    public static string Strip(string html)
    {
        var withoutScripts = ScriptsAndStyles().Replace(html, " ");
        var withBreaks = BlockTags().Replace(withoutScripts, "\n");
        return WebUtility.HtmlDecode(Tags().Replace(withBreaks, " "));
    }

    [GeneratedRegex(@"<(script|style)\b.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptsAndStyles();

    [GeneratedRegex(@"<(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockTags();

    [GeneratedRegex(@"<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex Tags();
}
