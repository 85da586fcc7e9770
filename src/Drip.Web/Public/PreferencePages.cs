using System.Globalization;
using Drip.Letters;
using Drip.Security;
using Drip.Subscribers;
using static Drip.Web.Public.PublicPage;

namespace Drip.Web.Public;

/// <summary>
/// The page behind every letter's unsubscribe link and List-Unsubscribe header, reached with a signed
/// token and no login. GET only shows the page (link scanners fetch URLs); POST acts. A POST without an
/// action, or with the RFC 8058 body <c>List-Unsubscribe=One-Click</c>, unsubscribes: no cookie, session
/// or CSRF token is asked for (the signed token is the only credential), and repeating it changes nothing.
/// The page also offers fewer letters, a 30-day pause, leaving single programs, a reason, and coming back.
/// </summary>
internal static class PreferencePages
{
    public static IEndpointRouteBuilder MapPreferencePages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/u/{token}", Show).AllowAnonymous();
        routes.MapPost("/u/{token}", ActAsync).AllowAnonymous().DisableAntiforgery();
        return routes;
    }

    private static IResult Show(string token, HttpRequest request, TokenSigner signer, ISubscriberStore subscribers, TemplateLibrary library)
    {
        if (signer.Verify(token, TokenPurpose.Unsubscribe) is not { } t || subscribers.Find(t.SubscriberId) is not { } s)
        {
            return Invalid(PageText.For(null, request));
        }
        var text = PageText.For(s.Locale, request);
        return s.Status == SubscriberStatus.Active || s.Status == SubscriberStatus.Paused
            ? Render(text, text.UnsubscribeTitle, Choices(token, s, text, library))
            : Left(token, s, text);
    }

    private static async Task<IResult> ActAsync(string token, HttpRequest request, TokenSigner signer, ISubscriberStore subscribers, Unsubscriber unsubscriber,
        Preferences preferences, Pauses pauses, TemplateLibrary library, TimeProvider clock)
    {
        if (signer.Verify(token, TokenPurpose.Unsubscribe) is not { } t || subscribers.Find(t.SubscriberId) is not { } s)
        {
            return Invalid(PageText.For(null, request));
        }
        var text = PageText.For(s.Locale, request);
        IFormCollection? form = null;
        if (request.HasFormContentType && (form = await ReadSmallFormAsync(request)) is null)
        {
            return FormTooLarge();
        }
        var action = form?["action"].ToString() is { Length: > 0 } a ? a : "unsubscribe";
        var id = s.Id;
        switch (action)
        {
            case "unsubscribe":
                var how = form?["List-Unsubscribe"].ToString() == "One-Click" ? "one-click unsubscribe (List-Unsubscribe-Post)" : "unsubscribe page";
                // The token's scope names the letter the link came from; the unsubscribe is counted for it.
                await unsubscriber.UnsubscribeAsync(s, how, Reason(form?["reason"].ToString()), t.Scope);
                return Left(token, s, text);
            case "resubscribe":
                return unsubscriber.Resubscribe(id, "resubscribed on the unsubscribe page")
                    ? Render(text, text.BackTitle, $"<p>{Html(string.Format(CultureInfo.InvariantCulture, text.BackBody, Masked(s.Email)))}</p>")
                    : Render(text, text.InvalidTitle, $"<p>{Html(text.CannotResubscribe)}</p>", StatusCodes.Status409Conflict);
            case "fewer" or "usual" when IsIn(s):
                preferences.SetFewerLetters(id, action == "fewer");
                return Saved(token, text, action == "fewer" ? text.FewerSaved : text.UsualSaved);
            case "pause" when IsIn(s):
                var until = clock.GetUtcNow().AddDays(30);
                pauses.Pause(id, until);
                return Saved(token, text, string.Format(CultureInfo.InvariantCulture, text.PausedSaved, until.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo(text.Lang))));
            case "programs" when IsIn(s):
                var keep = form?["program"].Select(p => p ?? "").ToHashSet(StringComparer.Ordinal) ?? [];
                foreach (var program in library.Programs)
                {
                    preferences.SetProgram(id, program.Id, keep.Contains(program.Id));
                }
                return Saved(token, text, text.ProgramsSaved);
            default:
                return Results.Problem($"unknown action '{action}'", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static bool IsIn(Subscriber s) => s.Status is SubscriberStatus.Active or SubscriberStatus.Paused;

    private static string? Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()[..Math.Min(reason.Trim().Length, 500)];

    private static string Choices(string token, Subscriber s, PageText text, TemplateLibrary library)
    {
        var action = $"/u/{Html(token)}";
        var programs = string.Concat(library.Programs.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p =>
            $"""<label><input type="checkbox" name="program" value="{Html(p.Id)}"{(s.OptedOutPrograms.Contains(p.Id) ? "" : " checked")}> {Html(p.Name)}</label><br>"""));
        var programForm = library.Programs.Count == 0 ? "" : $"""
            <form method="post" action="{action}"><fieldset><legend>{Html(text.ProgramsTitle)}</legend>{programs}
            <button type="submit" name="action" value="programs">{Html(text.ProgramsButton)}</button></fieldset></form>
            """;
        return $"""
            <p>{Html(string.Format(CultureInfo.InvariantCulture, text.UnsubscribeQuestion, Masked(s.Email)))}</p>
            <form method="post" action="{action}">
              <label for="reason">{Html(text.ReasonLabel)}</label>
              <textarea id="reason" name="reason" rows="2" maxlength="500" placeholder="{Html(text.ReasonPlaceholder)}"></textarea>
              <button type="submit" name="action" value="unsubscribe">{Html(text.UnsubscribeButton)}</button>
            </form>
            <h2>{Html(text.OrTitle)}</h2>
            <form method="post" action="{action}">
              <button type="submit" name="action" value="{(s.FewerLetters ? "usual" : "fewer")}">{Html(s.FewerLetters ? text.UsualButton : text.FewerButton)}</button>
              <button type="submit" name="action" value="pause">{Html(text.PauseButton)}</button>
            </form>
            {programForm}
            """;
    }

    private static IResult Left(string token, Subscriber s, PageText text) => Render(text, text.DoneTitle, $"""
        <p>{Html(string.Format(CultureInfo.InvariantCulture, text.DoneBody, Masked(s.Email)))}</p>
        {(s.Status == SubscriberStatus.Unsubscribed ? $"""<form method="post" action="/u/{Html(token)}"><button type="submit" name="action" value="resubscribe">{Html(text.ResubscribeButton)}</button></form>""" : "")}
        """);

    private static IResult Saved(string token, PageText text, string what) =>
        Render(text, text.SavedTitle, $"""<p>{Html(what)}</p><p><a href="/u/{Html(token)}">←</a></p>""");

    private static IResult Invalid(PageText text) => Render(text, text.InvalidTitle, $"<p>{Html(text.InvalidBody)}</p>", StatusCodes.Status400BadRequest);
}
