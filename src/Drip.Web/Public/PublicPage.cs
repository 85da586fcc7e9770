using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Drip.Web.Public;

/// <summary>The frame of every public page: plain HTML, no script, no external asset, readable on a phone.</summary>
internal static class PublicPage
{
    // Every script allowed, so Russian text stays readable in the source; markup characters are still escaped.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Html(string text) => Encoder.Encode(text);

    public static IResult Render(PageText text, string title, string body, int status = StatusCodes.Status200OK) => Results.Content($$"""
        <!doctype html>
        <html lang="{{text.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{Html(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
        button{font-size:1rem;padding:.5rem 1.25rem;margin:.25rem 0}form{margin:1rem 0}fieldset{border:1px solid #ccc;border-radius:.5rem}
        textarea,input[type=email],input[type=text]{width:100%;box-sizing:border-box;font-size:1rem;padding:.4rem}</style>
        </head><body><h1>{{Html(title)}}</h1>{{body}}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    /// <summary>Enough of the address to recognise it on a shared screen, no more.</summary>
    public static string Masked(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? email : $"{email[0]}…{email[(at - 1)..]}";
    }
}
