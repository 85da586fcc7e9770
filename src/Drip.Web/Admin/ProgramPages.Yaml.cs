using System.Globalization;
using System.Text;
using Drip.Authoring;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// "Edit as YAML": the file's text in a text box for power users, saved the same way as the forms (checked with the whole
/// folder, refused when the file changed since it was opened). Unlike a form save, it keeps the comments as written.
/// </summary>
internal static partial class ProgramPages
{
    private static IResult ShowYaml(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string relative, bool saved)
    {
        if (!IsEditable(editor, relative))
        {
            return Results.NotFound();
        }
        var file = editor.Open(relative);
        return YamlForm(http, antiforgery, editor, relative, file.Text, file.Fingerprint, saved, null, [], null);
    }

    private static async Task<IResult> SaveYamlAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string relative)
    {
        if (!IsEditable(editor, relative))
        {
            return Results.NotFound();
        }
        var (form, valid) = await ReadFormAsync(http, antiforgery);
        var text = form["text"].ToString();
        var fingerprint = form["fingerprint"].ToString();
        if (!valid)
        {
            return YamlForm(http, antiforgery, editor, relative, text, fingerprint, false, null, [], Expired, StatusCodes.Status400BadRequest);
        }
        var outcome = editor.Save(relative, text, fingerprint);
        if (outcome.IsSaved)
        {
            return Results.LocalRedirect(YamlPath(relative) + "?saved=1");
        }
        return outcome.IsConflict
            ? YamlForm(http, antiforgery, editor, relative, text, outcome.OnDisk!.Fingerprint, false, outcome.OnDisk, [], null, StatusCodes.Status409Conflict)
            : YamlForm(http, antiforgery, editor, relative, text, fingerprint, false, null, outcome.Problems, null, StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult YamlForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string relative, string text, string fingerprint,
        bool saved, TemplateFile? conflict, IReadOnlyList<TemplateProblem> problems, string? message, int status = StatusCodes.Status200OK)
    {
        var form = FormPath(relative);
        var body = new StringBuilder(FormStyle).Append(PendingBanner(editor));
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><code>templates/{Html(relative)}</code>{(form is null ? "" : $""" · <a href="{form}">Edit as a form</a>""")} · <a href="/admin/programs">All programs and sequences</a></p>
            """);
        body.Append(Outcome(saved, conflict, new FieldProblems(new Dictionary<string, string>(), problems), message));
        body.Append(CultureInfo.InvariantCulture, $"""
            <form class="edit" method="post" action="{YamlPath(relative)}">{Token(http, antiforgery)}{Hidden("fingerprint", fingerprint)}
            <div class="field"><label for="f-text">The file</label><textarea id="f-text" name="text" rows="28" spellcheck="false">{Html(text)}</textarea>
            <small>Checked with the whole templates folder before it is written; problems are listed as file:line:column. Comments are kept as written.</small></div>
            <button type="submit">Save</button></form>
            """);
        return Render($"templates/{relative}", body.ToString(), http.User.Identity?.Name, http, antiforgery, status);
    }

    private static bool IsEditable(TemplateEditor editor, string relative)
    {
        try
        {
            editor.Resolve(relative);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string YamlPath(string relative) =>
        relative == Cadence.CadenceFile.FileName ? "/admin/caps/yaml" : $"/admin/{relative[..^".yml".Length]}/yaml";

    /// <summary>The structured form for the same file, when there is one (date letters have none).</summary>
    private static string? FormPath(string relative) =>
        relative == Cadence.CadenceFile.FileName ? "/admin/caps"
        : relative.StartsWith("dates/", StringComparison.Ordinal) ? null
        : $"/admin/{relative[..^".yml".Length]}";
}
