using System.Text.Encodings.Web;
using Drip.Security;
using Drip.Subscribers;

namespace Drip.Web.Public;

/// <summary>
/// The anonymous unsubscribe endpoint behind every letter's link and List-Unsubscribe header. GET only
/// shows a page with a button (link scanners fetch URLs); POST unsubscribes, with no cookie, session or
/// CSRF token (RFC 8058 one-click), idempotently, answering 200. Only a valid signed token does anything.
/// </summary>
internal static class UnsubscribeApi
{
    public static IEndpointRouteBuilder MapUnsubscribe(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/u/{token}", Confirm).AllowAnonymous();
        routes.MapPost("/u/{token}", Unsubscribe).AllowAnonymous().DisableAntiforgery();
        return routes;
    }

    private static IResult Confirm(string token, TokenSigner signer, ISubscriberStore subscribers)
    {
        if (signer.Verify(token, TokenPurpose.Unsubscribe) is not { } t || subscribers.Find(t.SubscriberId) is not { } s)
        {
            return Invalid();
        }
        if (s.Status == SubscriberStatus.Unsubscribed)
        {
            return Page("You are unsubscribed", $"<p>{Html(Masked(s.Email))} will receive no more letters from us.</p>");
        }
        return Page("Unsubscribe?", $"""
            <p>Stop all letters to <strong>{Html(Masked(s.Email))}</strong>?</p>
            <form method="post" action="/u/{Html(token)}">
              <button type="submit">Unsubscribe</button>
            </form>
            """);
    }

    private static IResult Unsubscribe(string token, TokenSigner signer, Unsubscriber unsubscriber, ISubscriberStore subscribers)
    {
        if (signer.Verify(token, TokenPurpose.Unsubscribe) is not { } t || !unsubscriber.Unsubscribe(t.SubscriberId, "unsubscribe link"))
        {
            return Invalid();
        }
        var email = subscribers.Find(t.SubscriberId)?.Email ?? "";
        return Page("You are unsubscribed", $"<p>Done: {Html(Masked(email))} will receive no more letters from us. Sorry to see you go.</p>");
    }

    private static IResult Invalid() =>
        Page("This link does not work", "<p>The unsubscribe link is incomplete or was changed. Use the link from the letter exactly as it is, or reply to the letter with the word UNSUBSCRIBE.</p>", StatusCodes.Status400BadRequest);

    // The page may be open on a shared screen; show enough of the address to recognise it, no more.
    private static string Masked(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? email : $"{email[0]}…{email[(at - 1)..]}";
    }

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) => Results.Content($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{Html(title)}}</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1.25rem}</style>
        </head><body><h1>{{Html(title)}}</h1>{{body}}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
