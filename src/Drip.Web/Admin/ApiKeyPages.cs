using System.Globalization;
using System.Text;
using Drip.Web.Commands;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// <c>/admin/api-keys</c>: the API keys with their first characters and last use, a form to make one (the
/// key is shown on the answer page only, never again, and that page is not cached), and a revoke button per
/// key. Every form carries the anti-forgery field and is checked before anything changes.
/// </summary>
internal static class ApiKeyPages
{
    public static IEndpointRouteBuilder MapApiKeyPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/api-keys").RequireAuthorization(AdminAuthentication.Policy);
        group.MapGet("/", ShowAsync);
        group.MapPost("/", CreateAsync).DisableAntiforgery();
        group.MapPost("/{id}/revoke", RevokeAsync).DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, IAntiforgery antiforgery, EngineCommands commands, CancellationToken ct) =>
        Page(http, antiforgery, await commands.ListApiKeysAsync(ct), null, null);

    private static async Task<IResult> CreateAsync(HttpContext http, IAntiforgery antiforgery, EngineCommands commands, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Page(http, antiforgery, await commands.ListApiKeysAsync(ct), null, "The form expired; nothing was made. Please try again.", StatusCodes.Status400BadRequest);
        }
        var form = await http.Request.ReadFormAsync(ct);
        try
        {
            var created = await commands.CreateApiKeyAsync(form["name"].ToString(), ct);
            http.Response.Headers.CacheControl = "no-store";
            return Page(http, antiforgery, await commands.ListApiKeysAsync(ct), created, null);
        }
        catch (CommandException e)
        {
            return Page(http, antiforgery, await commands.ListApiKeysAsync(ct), null, e.Message, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, IAntiforgery antiforgery, EngineCommands commands, CancellationToken ct)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Page(http, antiforgery, await commands.ListApiKeysAsync(ct), null, "The form expired; nothing was revoked. Please try again.", StatusCodes.Status400BadRequest);
        }
        try
        {
            await commands.RevokeApiKeyAsync(id, ct);
            return Results.LocalRedirect("/admin/api-keys");
        }
        catch (CommandException e)
        {
            return Page(http, antiforgery, await commands.ListApiKeysAsync(ct), null, e.Message, StatusCodes.Status404NotFound);
        }
    }

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, IReadOnlyList<ApiKeyInfo> keys, CreatedApiKey? created, string? error,
        int status = StatusCodes.Status200OK)
    {
        var token = Token(http, antiforgery);
        var body = new StringBuilder();
        if (error is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">{Html(error)}</p>""");
        }
        if (created is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <section class="card" role="status"><p>The key <strong>{Html(created.Name)}</strong> ({Html(created.Id)}) is made. Copy it now:
                it is shown only this once, and Drip keeps only its hash.</p>
                <p><code id="new-key">{Html(created.Key)}</code></p>
                <p>Send it as <code>Authorization: Bearer KEY</code>.</p></section>
                """);
        }
        body.Append(CultureInfo.InvariantCulture, $"""
            <h2>Make a key</h2>
            <form method="post" action="/admin/api-keys">{token}
              <label>What it is for <input name="name" required maxlength="{Drip.Accounts.ApiKeys.MaxNameLength}" placeholder="crm sync"></label>
              <button type="submit">Make a key</button>
            </form>
            <h2>Keys</h2>
            """);
        if (keys.Count == 0)
        {
            body.Append("<p>No API keys yet.</p>");
        }
        else
        {
            body.Append("""<table><thead><tr><th>Id</th><th>Name</th><th>Starts with</th><th>Made</th><th>Last used</th><th>State</th><th></th></tr></thead><tbody>""");
            foreach (var k in keys)
            {
                var revoke = k.RevokedAt is null
                    ? $"""<form method="post" action="/admin/api-keys/{Uri.EscapeDataString(k.Id)}/revoke">{token}<button type="submit">Revoke</button></form>"""
                    : "";
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><code>{Html(k.Id)}</code></td><td>{Html(k.Name)}</td><td><code>{Html(k.Prefix)}…</code></td><td>{Stamp(k.CreatedAt)}</td>
                    <td>{(k.LastUsedAt is { } used ? Stamp(used) : "never")}</td><td>{(k.RevokedAt is { } revoked ? $"revoked {Stamp(revoked)}" : "live")}</td><td>{revoke}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
        }
        body.Append("""<p>Keys from configuration (<code>Api:Keys</code>) work too and are not listed here. The API is described in <a href="/openapi/v1.json">/openapi/v1.json</a>.</p>""");
        return Render("API keys", body.ToString(), http.User.Identity?.Name, http, antiforgery, status);
    }

    private static string Stamp(DateTimeOffset at) => Html(at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
}
