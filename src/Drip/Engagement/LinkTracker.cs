using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Delivery;
using Drip.Security;

namespace Drip.Engagement;

/// <summary>
/// Rewrites a rendered letter's links to pass through Drip's click redirect and adds the open pixel.
/// A click link is <c>/c/{token}?u=URL</c>, where the signed token names the subscriber, the letter and a
/// hash of that exact URL: the redirect goes only to a URL Drip itself put into that letter, so it can
/// never be used as an open redirect. The unsubscribe link and non-web links are left alone.
/// </summary>
public sealed partial class LinkTracker(TokenSigner signer, PublicOptions publicOptions, TrackingOptions options)
{
    private string Base => publicOptions.BaseUrl.TrimEnd('/');

    // Drip's own pages (the unsubscribe page, the preference page) are never tracked; made once, not per link.
    private readonly string _ownPages = publicOptions.BaseUrl.TrimEnd('/') + "/";

    public string Track(string html, Guid subscriberId, string letterId, string unsubscribeUrl)
    {
        // One pass into one builder: the links as they are met, then the pixel before </body>. Regex.Replace and then
        // inserting the pixel copied the whole letter twice, and made a Match and its group strings for every link.
        var pixelAt = options.Opens ? html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase) : -1;
        var tracked = new StringBuilder(html.Length + 512);
        var copied = 0;
        var pixelDone = !options.Opens;
        if (options.Clicks)
        {
            foreach (var match in Href().EnumerateMatches(html))
            {
                // The match ends at the quote that closes the address, which holds no quote: it starts after the one before.
                var close = match.Index + match.Length - 1;
                var open = html.LastIndexOf('"', close - 1);
                var url = WebUtility.HtmlDecode(html[(open + 1)..close]);
                if (url == unsubscribeUrl || url.StartsWith(_ownPages, StringComparison.Ordinal) || !IsWeb(url))
                {
                    continue;
                }
                CopyUpTo(open + 1);
                tracked.Append(WebUtility.HtmlEncode(ClickUrl(subscriberId, letterId, url)));
                copied = close;
            }
        }
        CopyUpTo(html.Length);
        if (!pixelDone)
        {
            AppendPixel(); // no </body>: at the end
        }
        return tracked.ToString();

        void CopyUpTo(int end)
        {
            if (!pixelDone && pixelAt >= copied && end > pixelAt)
            {
                tracked.Append(html, copied, pixelAt - copied);
                copied = pixelAt;
                AppendPixel();
            }
            tracked.Append(html, copied, end - copied);
            copied = end;
        }

        void AppendPixel()
        {
            tracked.Append(PixelStart).Append(WebUtility.HtmlEncode(OpenUrl(subscriberId, letterId))).Append(PixelEnd);
            pixelDone = true;
        }
    }

    private const string PixelStart = "<img src=\"";
    private const string PixelEnd = "\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0;width:1px;height:1px\">";

    public string ClickUrl(Guid subscriberId, string letterId, string url) =>
        $"{Base}/c/{signer.Sign(TokenPurpose.Click, subscriberId, $"{letterId}|{UrlHash(url)}")}?u={Uri.EscapeDataString(url)}";

    public string OpenUrl(Guid subscriberId, string letterId) => $"{Base}/o/{signer.Sign(TokenPurpose.Open, subscriberId, letterId)}";

    /// <summary>The subscriber, letter and target of a click, or null unless the token is ours and was made for exactly this URL.</summary>
    public Click? VerifyClick(string token, string? url)
    {
        if (url is null || !IsWeb(url) || signer.Verify(token, TokenPurpose.Click) is not { } t)
        {
            return null;
        }
        var bar = t.Scope.LastIndexOf('|');
        if (bar < 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(t.Scope[(bar + 1)..]), Encoding.ASCII.GetBytes(UrlHash(url))))
        {
            return null;
        }
        return new Click(t.SubscriberId, t.Scope[..bar], url);
    }

    /// <summary>The subscriber and letter of an open pixel, or null.</summary>
    public (Guid SubscriberId, string LetterId)? VerifyOpen(string token) =>
        signer.Verify(token, TokenPurpose.Open) is { } t ? (t.SubscriberId, t.Scope) : null;

    private static bool IsWeb(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string UrlHash(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url)).AsSpan(0, 12));

    // The attribute is href itself, after white space: "\bhref" also matched the href in data-href="…", which came first.
    [GeneratedRegex(@"<a\s[^>]*?(?<=\s)href\s*=\s*""[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}

/// <summary>A verified click: who, in which letter, and where to.</summary>
public sealed record Click(Guid SubscriberId, string LetterId, string Url);
