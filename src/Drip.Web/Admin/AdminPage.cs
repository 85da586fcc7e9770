using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;

namespace Drip.Web.Admin;

/// <summary>The frame of the marketer's pages: server-rendered HTML with its own small stylesheet, nothing from a CDN; a page adds a script served by Drip only where it truly helps (the letter editor's live preview).</summary>
internal static class AdminPage
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
        header{background:#1f3a5f;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
        header a{color:#fff;text-decoration:none}header nav{display:flex;gap:1rem}header form{margin-left:auto}
        main{max-width:72rem;margin:1.5rem auto;padding:0 1.5rem}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border-bottom:1px solid #ddd;padding:.35rem .6rem;text-align:left}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
        .cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:.8rem 1.2rem;min-width:10rem}
        .card b{display:block;font-size:1.6rem}
        form.signin{max-width:22rem;background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1.5rem}
        form.signin input{display:block;width:100%;box-sizing:border-box;margin:.25rem 0 1rem;padding:.45rem;font-size:1rem}
        button{font-size:1rem;padding:.45rem 1.1rem}.error{color:#a40000}
        .swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem;vertical-align:baseline}
        .legend>span{margin-right:1rem}
        table.calendar{table-layout:fixed}table.calendar td{vertical-align:top;border:1px solid #ddd;height:7rem;font-size:.85rem}
        table.calendar td.outside{background:#f0f0f0;color:#999}.calendar .date{font-weight:bold}
        .calendar .window{margin-top:.4rem}.calendar .hours{font-weight:600}.calendar .who{color:#666;font-size:.75rem}
        .calendar a.count{display:block;color:inherit;text-decoration:none;overflow-wrap:anywhere}.calendar a.count:hover{text-decoration:underline}
        .calendar small{color:#666}.charts{display:flex;gap:1.5rem;flex-wrap:wrap}.charts figure{margin:0}
        .notice{background:#fff8e1;border:1px solid #f9a825;padding:.6rem 1rem}
        """;

    public static string Html(string? text) => Encoder.Encode(text ?? "");

    public static IResult Render(string title, string body, string? user, HttpContext http, IAntiforgery antiforgery, int status = StatusCodes.Status200OK)
    {
        var nav = user is null ? "" : $"""
            <nav><a href="/admin">Dashboard</a> <a href="/admin/subscribers">Subscribers</a> <a href="/admin/letters">Letters</a>
            <a href="/admin/programs">Programs</a> <a href="/admin/calendar">Calendar</a> <a href="/admin/purges">Purges</a>
            <a href="/admin/api-keys">API keys</a></nav>
            <form method="post" action="/admin/sign-out">{Token(http, antiforgery)}<button type="submit">Sign out {Html(user)}</button></form>
            """;
        return Results.Content($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>{{Html(title)}} · Drip</title><style>{{Style}}</style></head>
            <body><header><strong>Drip</strong>{{nav}}</header><main><h1>{{Html(title)}}</h1>{{body}}</main></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The hidden anti-forgery field every admin form carries.</summary>
    public static string Token(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""<input type="hidden" name="{Html(tokens.FormFieldName)}" value="{Html(tokens.RequestToken)}">""";
    }
}
