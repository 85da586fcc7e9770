using System.Globalization;
using Drip.Delivery;
using Drip.Subscribers;
using static Drip.Web.Public.PublicPage;

namespace Drip.Web.Public;

/// <summary>
/// The public sign-up with double opt-in: <c>GET /subscribe</c> shows the form, <c>POST /subscribe</c>
/// takes it (also from the embeddable form on any site, <c>GET /subscribe/embed</c>), and the signed
/// link in the confirmation letter leads to <c>/confirm/{token}</c>, where a button confirms (a GET
/// changes nothing, since mail scanners open links). The answer to a sign-up is the same whoever
/// the address belongs to, so the form cannot be used to learn who is on the list.
/// </summary>
internal static class SignUpPages
{
    public static IEndpointRouteBuilder MapSignUpPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscribe", (HttpRequest request) => Form(PageText.For(null, request), null)).AllowAnonymous();
        routes.MapGet("/subscribe/embed", Embed).AllowAnonymous();
        routes.MapPost("/subscribe", SignUpAsync).AllowAnonymous().DisableAntiforgery();
        routes.MapGet("/confirm/{token}", ConfirmPage).AllowAnonymous();
        routes.MapPost("/confirm/{token}", Confirm).AllowAnonymous().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> SignUpAsync(HttpRequest request, OptIn optIn)
    {
        var text = PageText.For(null, request);
        if (!request.HasFormContentType)
        {
            return Results.Problem("send the form as application/x-www-form-urlencoded", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (await ReadSmallFormAsync(request) is not { } form)
        {
            return FormTooLarge();
        }
        var email = form["email"].ToString();
        if (form["website"].ToString().Length > 0)
        {
            // The hidden field only robots fill in: answer as if all went well, do nothing.
            return CheckInbox(text, email);
        }
        var source = form["source"].ToString() is { Length: > 0 and <= 100 } s ? $"form:{s}" : "form";
        try
        {
            optIn.SignUp(email, form["first_name"].ToString() is { Length: <= 100 } name ? name : null, source,
                request.HttpContext.Connection.RemoteIpAddress?.ToString());
        }
        catch (ArgumentException e)
        {
            return Form(text, string.Format(CultureInfo.InvariantCulture, text.BadEmail, e.Message), StatusCodes.Status400BadRequest);
        }
        return CheckInbox(text, email);
    }

    private static IResult ConfirmPage(string token, HttpRequest request) =>
        Render(PageText.For(null, request), PageText.For(null, request).ConfirmTitle, $"""
            <form method="post" action="/confirm/{Html(token)}"><button type="submit">{Html(PageText.For(null, request).SubscribeButton)}</button></form>
            """);

    private static IResult Confirm(string token, HttpRequest request, OptIn optIn)
    {
        var subscriber = optIn.Confirm(token);
        var text = PageText.For(subscriber?.Locale, request);
        return subscriber is null
            ? Render(text, text.InvalidTitle, $"<p>{Html(text.ConfirmExpired)}</p>", StatusCodes.Status400BadRequest)
            : Render(text, text.ConfirmTitle, $"<p>{Html(string.Format(CultureInfo.InvariantCulture, text.ConfirmBody, Masked(subscriber.Email)))}</p>");
    }

    private static IResult CheckInbox(PageText text, string email) =>
        Render(text, text.CheckInboxTitle, $"<p>{Html(string.Format(CultureInfo.InvariantCulture, text.CheckInboxBody, email.Trim()))}</p>");

    private static IResult Form(PageText text, string? error, int status = StatusCodes.Status200OK) =>
        Render(text, text.SubscribeTitle, (error is null ? "" : $"""<p role="alert"><strong>{Html(error)}</strong></p>""") + FormHtml(text, ""), status);

    /// <summary>The form as a snippet to paste into any page: plain HTML posting to this Drip.</summary>
    private static IResult Embed(HttpRequest request, PublicOptions publicOptions) =>
        Results.Text(FormHtml(PageText.For(null, request), publicOptions.BaseUrl.TrimEnd('/')), "text/plain; charset=utf-8");

    private static string FormHtml(PageText text, string baseUrl) => $"""
        <form method="post" action="{Html(baseUrl)}/subscribe">
          <p>{Html(text.SubscribeIntro)}</p>
          <label>{Html(text.EmailLabel)} <input type="email" name="email" required autocomplete="email"></label>
          <label>{Html(text.NameLabel)} <input type="text" name="first_name" autocomplete="given-name"></label>
          <input type="text" name="website" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px" aria-hidden="true">
          <button type="submit">{Html(text.SubscribeButton)}</button>
        </form>
        """;
}
