using System.Globalization;
using Drip.Engagement;
using Drip.Security;
using static Drip.Web.Public.PublicPage;

namespace Drip.Web.Public;

/// <summary>
/// The open pixel (<c>/o/{token}</c>), the click redirect (<c>/c/{token}?u=URL</c>) and the "keep me on the
/// list" answer to a re-engagement letter (<c>/stay/{token}</c>). Each takes only a signed token; the
/// redirect goes only to the URL the token was made for, so a changed <c>u</c> gets 400, never a redirect.
/// </summary>
internal static class TrackingEndpoints
{
    // The smallest transparent GIF.
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTracking(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/o/{token}", Open).AllowAnonymous();
        routes.MapGet("/c/{token}", Click).AllowAnonymous();
        routes.MapGet("/stay/{token}", StayPage).AllowAnonymous();
        routes.MapPost("/stay/{token}", Stay).AllowAnonymous().DisableAntiforgery();
        return routes;
    }

    private static IResult Open(string token, HttpContext http, LinkTracker tracker, EngagementRecorder recorder)
    {
        if (tracker.VerifyOpen(token) is not { } open)
        {
            return Results.NotFound();
        }
        recorder.Opened(open.SubscriberId, open.LetterId, MachineOpens.IsMachine(http.Request.Headers.UserAgent, http.Connection.RemoteIpAddress));
        http.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, private";
        return Results.Bytes(Pixel, "image/gif");
    }

    private static IResult Click(string token, string? u, HttpContext http, LinkTracker tracker, EngagementRecorder recorder)
    {
        if (tracker.VerifyClick(token, u) is not { } click)
        {
            return Results.Problem("This link is not one Drip made; it was changed or is incomplete.", statusCode: StatusCodes.Status400BadRequest);
        }
        recorder.Clicked(click.SubscriberId, click.LetterId, click.Url, MachineOpens.IsMachine(http.Request.Headers.UserAgent, http.Connection.RemoteIpAddress));
        return Results.Redirect(click.Url);
    }

    private static IResult StayPage(string token, HttpRequest request, TokenSigner signer)
    {
        var text = PageText.For(null, request);
        return signer.Verify(token, TokenPurpose.Stay) is null
            ? Render(text, text.InvalidTitle, $"<p>{Html(text.InvalidBody)}</p>", StatusCodes.Status400BadRequest)
            : Render(text, text.StayTitle, $"""<form method="post" action="/stay/{Html(token)}"><button type="submit">{Html(text.StayButton)}</button></form>""");
    }

    private static IResult Stay(string token, HttpRequest request, TokenSigner signer, EngagementRecorder recorder, Drip.Subscribers.ISubscriberStore subscribers)
    {
        var text = PageText.For(null, request);
        if (signer.Verify(token, TokenPurpose.Stay) is not { } t || !recorder.Stay(t.SubscriberId))
        {
            return Render(text, text.InvalidTitle, $"<p>{Html(text.CannotResubscribe)}</p>", StatusCodes.Status400BadRequest);
        }
        var email = subscribers.Find(t.SubscriberId)?.Email ?? "";
        var own = PageText.For(subscribers.Find(t.SubscriberId)?.Locale, request);
        return Render(own, own.StayTitle, $"<p>{Html(string.Format(CultureInfo.InvariantCulture, own.StayBody, Masked(email)))}</p>");
    }
}
