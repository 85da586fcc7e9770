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
        // The changes first (each tracked link's address, then the pixel before </body>), then the letter written once at its
        // final length. Regex.Replace and an insert copied the whole letter twice; a StringBuilder held a second copy of it.
        var edits = new List<Edit>(8);
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
                edits.Add(new Edit(open + 1, close, WebUtility.HtmlEncode(ClickUrl(subscriberId, letterId, url))));
            }
        }
        if (options.Opens)
        {
            // Before the last </body>, or at the end when there is none. No link's address holds "</body>", so the pixel
            // goes after every change that starts before it.
            var pixelAt = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase) is var body and >= 0 ? body : html.Length;
            var pixel = new Edit(pixelAt, pixelAt, PixelStart + WebUtility.HtmlEncode(OpenUrl(subscriberId, letterId)) + PixelEnd);
            edits.Insert(edits.FindIndex(e => e.Start >= pixelAt) is var after and >= 0 ? after : edits.Count, pixel);
        }
        if (edits.Count == 0)
        {
            return html;
        }
        var length = html.Length;
        foreach (var edit in edits)
        {
            length += edit.Text.Length - (edit.End - edit.Start);
        }
        return string.Create(length, (html, edits), static (letter, state) =>
        {
            var (source, changes) = state;
            var copied = 0;
            foreach (var change in changes)
            {
                source.AsSpan(copied, change.Start - copied).CopyTo(letter);
                letter = letter[(change.Start - copied)..];
                change.Text.CopyTo(letter);
                letter = letter[change.Text.Length..];
                copied = change.End;
            }
            source.AsSpan(copied).CopyTo(letter);
        });
    }

    /// <summary>The letter's characters from <see cref="Start"/> to <see cref="End"/> become <see cref="Text"/>.</summary>
    private readonly record struct Edit(int Start, int End, string Text);

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
