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

    public string Track(string html, Guid subscriberId, string letterId, string unsubscribeUrl)
    {
        if (options.Clicks)
        {
            html = Href().Replace(html, m =>
            {
                var url = WebUtility.HtmlDecode(m.Groups["url"].Value);
                if (url == unsubscribeUrl || url.StartsWith(Base + "/", StringComparison.Ordinal) || !IsWeb(url))
                {
                    return m.Value;
                }
                return $"{m.Groups["pre"].Value}{WebUtility.HtmlEncode(ClickUrl(subscriberId, letterId, url))}{m.Groups["post"].Value}";
            });
        }
        if (options.Opens)
        {
            var pixel = $"""<img src="{WebUtility.HtmlEncode(OpenUrl(subscriberId, letterId))}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">""";
            var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            html = end < 0 ? html + pixel : html.Insert(end, pixel);
        }
        return html;
    }

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

    [GeneratedRegex("""(?<pre><a\b[^>]*?\bhref\s*=\s*")(?<url>[^"]*)(?<post>")""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}

/// <summary>A verified click: who, in which letter, and where to.</summary>
public sealed record Click(Guid SubscriberId, string LetterId, string Url);
