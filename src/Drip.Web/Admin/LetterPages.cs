using Drip.Authoring;
using Drip.Delivery;
using Drip.Feedback;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Admin;

/// <summary>
/// The Letters pages: the letters by kind, and an editor for one letter's file with a live preview as a chosen
/// subscriber, lint problems at their line, and "send a test to me". The files in <c>templates/letters/</c> stay the
/// one source of truth: the editor opens a file with its fingerprint and writes it back only through
/// <see cref="TemplateEditor.Save"/>, which checks it with the whole folder and refuses a save made from an older version.
/// </summary>
internal static class LetterPages
{
    /// <summary>The route segment of the form for a letter that has no file yet.</summary>
    private const string NewLetter = "new";

    /// <summary>The id a new letter is previewed under until the marketer has typed a valid one.</summary>
    private const string UntitledId = "untitled";

    private const int SubscriberChoices = 20;

    public static IEndpointRouteBuilder MapLetterPages(this IEndpointRouteBuilder routes)
    {
        // The handlers read their forms themselves and check the anti-forgery token first (form field, or the header the
        // live preview sends), so that a stale form gets a page saying so rather than a bare 400.
        var letters = routes.MapGroup("/admin/letters").RequireAuthorization(AdminAuthentication.Policy).DisableAntiforgery();
        letters.MapGet("", List);
        letters.MapGet("/new", NewForm);
        letters.MapPost("/new", CreateAsync);
        letters.MapGet("/{id}/edit", EditForm);
        letters.MapPost("/{id}/edit", EditAsync);
        letters.MapPost("/{id}/preview", PreviewAsync);
        letters.MapPost("/{id}/test", SendTestAsync);
        return routes;
    }

    private static IResult List(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, ILetterStatsStore stats) =>
        LetterList.Render(http, antiforgery, editor, stats);

    private static IResult NewForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer, string? kind, string? subscriber)
    {
        var library = editor.Library;
        var chosen = kind?.Trim().ToLowerInvariant() is { } k && (library.Kinds.Contains(k) || k == LetterKinds.Service)
            ? k
            : library.Kinds.Contains(LetterKinds.Useful) ? LetterKinds.Useful : library.Kinds[0];
        var text = Starter(chosen);
        var state = new EditorState("", IsNew: true, text, "", subscriber) { Preview = previewer.Render(UntitledId, text, subscriber) };
        return Show(http, antiforgery, editor, previewer, state);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Expired(http, antiforgery);
        }
        var form = await http.Request.ReadFormAsync();
        var id = form["id"].ToString().Trim();
        var state = new EditorState(id, IsNew: true, form["body"].ToString(), "", Field(form, "subscriber"));
        if (form["do"] == "preview")
        {
            return Show(http, antiforgery, editor, previewer, state with { Preview = previewer.Render(PreviewId(id), state.Text, state.Subscriber) });
        }
        var refusal = !LetterFiles.IsValidId(id) ? "The id names the file: use lower-case letters, digits and dashes, like spring-sale-2026."
            : id == NewLetter ? "'new' is reserved for this form; choose another id."
            : editor.Library.FindLetter(id) is not null || editor.Open(LetterFiles.Relative(id)).Exists ? $"A letter called '{id}' already exists; choose another id or edit that one."
            : null;
        if (refusal is not null)
        {
            return Show(http, antiforgery, editor, previewer, state with { Error = refusal }, StatusCodes.Status422UnprocessableEntity);
        }
        var outcome = editor.Save(LetterFiles.Relative(id), state.Text, "");
        if (outcome.IsSaved)
        {
            return SavedRedirect(id, state.Subscriber);
        }
        return outcome.IsConflict
            ? Show(http, antiforgery, editor, previewer, state with { Error = $"A letter called '{id}' appeared on disk meanwhile; choose another id." }, StatusCodes.Status409Conflict)
            : Show(http, antiforgery, editor, previewer, state with { Problems = outcome.Problems, Error = "Not saved: fix the problems below first. Nothing was written." },
                StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult EditForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer, string id, string? subscriber, string? saved)
    {
        if (Opened(editor, id) is not { } file)
        {
            return Missing(http, antiforgery, id);
        }
        var state = new EditorState(id, IsNew: false, file.Text, file.Fingerprint, subscriber)
        {
            Preview = previewer.Render(id, file.Text, subscriber),
            Notice = saved is null ? null : "Saved. The engine uses this version from now on.",
        };
        return Show(http, antiforgery, editor, previewer, state);
    }

    private static async Task<IResult> EditAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer, string id)
    {
        if (!LetterFiles.IsValidId(id))
        {
            return Missing(http, antiforgery, id);
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Expired(http, antiforgery);
        }
        var form = await http.Request.ReadFormAsync();
        var state = new EditorState(id, IsNew: false, form["body"].ToString(), form["fingerprint"].ToString(), Field(form, "subscriber"));
        if (form["do"] == "preview")
        {
            return Show(http, antiforgery, editor, previewer, state with { Preview = previewer.Render(id, state.Text, state.Subscriber) });
        }
        var outcome = editor.Save(LetterFiles.Relative(id), state.Text, state.Fingerprint);
        if (outcome.IsSaved)
        {
            return SavedRedirect(id, state.Subscriber);
        }
        if (outcome.IsConflict)
        {
            // The fresh fingerprint makes the next save deliberate: it replaces exactly the version shown here.
            var conflict = state with
            {
                Fingerprint = outcome.OnDisk!.Fingerprint,
                Conflict = outcome.OnDisk,
                Preview = previewer.Render(id, state.Text, state.Subscriber),
            };
            return Show(http, antiforgery, editor, previewer, conflict, StatusCodes.Status409Conflict);
        }
        return Show(http, antiforgery, editor, previewer, state with { Problems = outcome.Problems, Error = "Not saved: fix the problems below first. Nothing was written." },
            StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The live preview's call: the unsaved text in, the subject, HTML, plain text and problems out.</summary>
    private static async Task<IResult> PreviewAsync(HttpContext http, IAntiforgery antiforgery, LetterPreviewer previewer, string id)
    {
        if (!LetterFiles.IsValidId(id))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No letter '{id}'");
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The page has expired: reload it to go on previewing");
        }
        var form = await http.Request.ReadFormAsync();
        var letterId = id == NewLetter ? PreviewId(form["id"].ToString().Trim()) : id;
        var preview = previewer.Render(letterId, form["body"].ToString(), Field(form, "subscriber"));
        return TypedResults.Ok(new PreviewAnswer(preview.Letter?.Subject, preview.Letter?.Html, preview.Letter?.Text,
            preview.Problems.Select(p => new PreviewProblem(p.File, p.Line, p.Column, p.Message)).ToList(), preview.ShownAs));
    }

    private static async Task<IResult> SendTestAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer,
        TestLetterSender tests, string id, CancellationToken cancellationToken)
    {
        if (!LetterFiles.IsValidId(id))
        {
            return Missing(http, antiforgery, id);
        }
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Expired(http, antiforgery);
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var isNew = id == NewLetter;
        var typedId = form["id"].ToString().Trim();
        var letterId = isNew ? PreviewId(typedId) : id;
        // The test shows what is in the editor, saved or not; a bare POST tests the file as it is on disk.
        var text = form.ContainsKey("body") ? form["body"].ToString() : editor.Open(LetterFiles.Relative(letterId)).Text;
        var state = new EditorState(isNew ? typedId : id, isNew, text, form["fingerprint"].ToString(), Field(form, "subscriber"));
        var admin = http.User.Identity?.Name ?? "";
        if (!tests.TryTake(admin))
        {
            return Show(http, antiforgery, editor, previewer,
                state with { Error = $"Not sent: at most {TestLetterSender.PerMinute} tests a minute. Wait a moment and send again." },
                StatusCodes.Status429TooManyRequests);
        }
        var preview = previewer.Render(letterId, text, state.Subscriber);
        state = state with { Preview = preview };
        if (preview.Letter is not { } letter)
        {
            return Show(http, antiforgery, editor, previewer, state with { Error = "Not sent: the letter does not render. Fix the problems below first." },
                StatusCodes.Status422UnprocessableEntity);
        }
        var outcome = await tests.SendAsync(letterId, letter, admin, cancellationToken);
        return outcome.Result == SendResult.Delivered
            ? Show(http, antiforgery, editor, previewer, state with { Notice = $"A test went to {admin}, rendered as {preview.ShownAs}." })
            : Show(http, antiforgery, editor, previewer, state with { Error = $"The test could not be sent: {outcome.Detail}" }, StatusCodes.Status502BadGateway);
    }

    private static TemplateFile? Opened(TemplateEditor editor, string id) =>
        LetterFiles.IsValidId(id) && editor.Open(LetterFiles.Relative(id)) is { Exists: true } file ? file : null;

    private static string PreviewId(string typed) => LetterFiles.IsValidId(typed) && typed != NewLetter ? typed : UntitledId;

    private static string? Field(IFormCollection form, string name) =>
        form[name].ToString().Trim() is { Length: > 0 } value ? value : null;

    private static RedirectHttpResult SavedRedirect(string id, string? subscriber) =>
        TypedResults.LocalRedirect($"/admin/letters/{id}/edit?saved=1"
            + (subscriber is null ? "" : "&subscriber=" + Uri.EscapeDataString(subscriber)));

    private static IResult Show(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, LetterPreviewer previewer, EditorState state,
        int status = StatusCodes.Status200OK) =>
        LetterEditorPage.Render(http, antiforgery, editor.Library, state, previewer.FirstSubscribers(SubscriberChoices), status);

    private static IResult Missing(HttpContext http, IAntiforgery antiforgery, string id) =>
        AdminPage.Render("No such letter", $"""
            <p>There is no letter <code>{AdminPage.Html(id)}</code> in templates/letters/.</p>
            <p><a href="/admin/letters">All letters</a> · <a href="/admin/letters/new">New letter</a></p>
            """, http.User.Identity?.Name, http, antiforgery, StatusCodes.Status404NotFound);

    private static IResult Expired(HttpContext http, IAntiforgery antiforgery) =>
        AdminPage.Render("The form expired", """
            <p class="error" role="alert">The form expired or did not come from this site, so nothing was done.
            Go back, copy your text if you need it, and reload the page.</p>
            <p><a href="/admin/letters">All letters</a></p>
            """, http.User.Identity?.Name, http, antiforgery, StatusCodes.Status400BadRequest);

    private static string Starter(string kind) => $$$"""
        ---
        subject: "A new {{{kind}}} letter"
        kind: {{{kind}}}
        ---
        {{ greeting }}

        Write the letter here, in Markdown.

        {{ sender.name }}

        """;

    private sealed record PreviewAnswer(string? Subject, string? Html, string? Text, IReadOnlyList<PreviewProblem> Problems, string ShownAs);

    private sealed record PreviewProblem(string File, int Line, int Column, string Message);
}

/// <summary>What the editor page shows: the text being edited, the version it started from, and what became of the last action.</summary>
internal sealed record EditorState(string LetterId, bool IsNew, string Text, string Fingerprint, string? Subscriber)
{
    public LetterPreview? Preview { get; init; }

    /// <summary>Problems that refused a save; a preview's own problems come with <see cref="Preview"/>.</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; init; } = [];

    public string? Notice { get; init; }

    public string? Error { get; init; }

    /// <summary>The version on disk when a save found the file changed since the editor opened it.</summary>
    public TemplateFile? Conflict { get; init; }
}
