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

    /// <summary>The most a public form (sign-up, preferences) may send; the real ones are well under 4 KB.</summary>
    public const int MaxFormBytes = 64 * 1024;

    /// <summary>
    /// Reads a public form of at most <see cref="MaxFormBytes"/>; null when it is larger or malformed. Strangers post
    /// here, and ASP.NET's defaults (values of 4 MB, bodies as large as an import needs) would let one post tie up memory
    /// and answer 500 when exceeded.
    /// </summary>
    public static async Task<IFormCollection?> ReadSmallFormAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxFormBytes)
        {
            return null;
        }
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxFormBytes;
        }
        try
        {
            return await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions
            {
                ValueLengthLimit = MaxFormBytes, KeyLengthLimit = 256, ValueCountLimit = 1024, BufferBodyLengthLimit = MaxFormBytes,
            });
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return null;
        }
    }

    /// <summary>The answer to a form that <see cref="ReadSmallFormAsync"/> refused.</summary>
    public static IResult FormTooLarge() =>
        Results.Problem($"The form is larger than {MaxFormBytes / 1024} KB or malformed; nothing was changed.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>Enough of the address to recognise it on a shared screen, no more.</summary>
    public static string Masked(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? email : $"{email[0]}…{email[(at - 1)..]}";
    }
}
