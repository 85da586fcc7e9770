using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Authoring;
using Drip.Cadence;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// Programs, sequences, date letters and frequency caps in the browser. The files under <c>templates/</c> stay the one
/// source of truth: every form is read from its file and written back through <see cref="TemplateEditor.Save"/>, which
/// checks the whole folder with lint before anything is written, refuses a save made from an older version of the file,
/// and has the running engine use the new file at once. A refused save writes nothing and shows the form as it was sent.
/// </summary>
internal static partial class ProgramPages
{
    public static IEndpointRouteBuilder MapProgramPages(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").RequireAuthorization(AdminAuthentication.Policy);
        admin.MapGet("/programs", Overview);
        admin.MapGet("/programs/{id}", ShowProgram);
        admin.MapPost("/programs/{id}", SaveProgramAsync).DisableAntiforgery();
        admin.MapGet("/sequences", (HttpContext http, IAntiforgery antiforgery, string? @new) => OpenNew(http, antiforgery, "sequences", @new));
        admin.MapGet("/sequences/{id}", ShowSequence);
        admin.MapPost("/sequences/{id}", SaveSequenceAsync).DisableAntiforgery();
        admin.MapGet("/caps", ShowCaps);
        admin.MapPost("/caps", SaveCapsAsync).DisableAntiforgery();
        foreach (var folder in new[] { "programs", "sequences", "dates" })
        {
            admin.MapGet($"/{folder}/{{id}}/yaml", (HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id, string? saved) =>
                ShowYaml(http, antiforgery, editor, $"{folder}/{id}.yml", saved is not null));
            admin.MapPost($"/{folder}/{{id}}/yaml", (HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id) =>
                SaveYamlAsync(http, antiforgery, editor, $"{folder}/{id}.yml")).DisableAntiforgery();
        }
        admin.MapGet("/caps/yaml", (HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string? saved) =>
            ShowYaml(http, antiforgery, editor, CadenceFile.FileName, saved is not null));
        admin.MapPost("/caps/yaml", (HttpContext http, IAntiforgery antiforgery, TemplateEditor editor) =>
            SaveYamlAsync(http, antiforgery, editor, CadenceFile.FileName)).DisableAntiforgery();
        return routes;
    }

    private const string FormStyle = """
        <style>
        form.edit{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem 1.5rem;max-width:52rem}
        form.edit fieldset{border:1px solid #e4e4e4;margin:0 0 1rem;padding:.5rem 1rem}
        .field{margin:.6rem 0}.field label{display:block;font-weight:600}.field small{display:block;color:#555}
        .field input[type=text],.field input[type=number],.field input[type=date],.field select{padding:.35rem;font-size:1rem;min-width:16rem}
        .field.invalid input,.field.invalid textarea,.field.invalid select{border:2px solid #a40000}
        .choices label{display:inline;font-weight:normal;margin-right:1rem}
        textarea{font-family:ui-monospace,monospace;font-size:.95rem;width:100%;box-sizing:border-box}
        .notice{background:#e8f5e9;border:1px solid #a5d6a7;padding:.6rem 1rem}.problems{background:#fff3f3;border:1px solid #e0a0a0;padding:.6rem 1rem}
        pre.disk{background:#f4f4f4;padding:.6rem;overflow:auto;max-height:24rem}
        td .error,.field .error{margin:.2rem 0}
        </style>
        """;

    private static IResult Overview(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, CadencePlanner planner, FrequencyCaps configured, string? @new)
    {
        if (@new is not null)
        {
            return OpenNew(http, antiforgery, "programs", @new);
        }
        var library = editor.Library;
        var body = new StringBuilder(FormStyle).Append(PendingBanner(editor));
        body.Append("""<p>Everything here is read from the files under <code>templates/</code> and saved back to them, checked first.</p>""");

        body.Append("""<h2 id="programs">Programs</h2>""");
        body.Append("""<table><thead><tr><th>Program</th><th>Mode</th><th class="n">Letters a week</th><th>Ratio</th><th>Mix</th><th>Windows</th><th>First letters</th></tr></thead><tbody>""");
        foreach (var p in library.Programs.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var mode = p.Mode == ProgramMode.Broadcast ? $"broadcast from the week of {p.Start:yyyy-MM-dd}" : "evergreen";
            var windows = string.Join("<br>", p.Windows.Select(w => $"{Html(w.Key)}: {Html(w.Value.ToString())}"));
            var order = string.Join("<br>", Enumerable.Range(0, 8).Select(p.At).TakeWhile(l => l is not null)
                .Select((l, i) => $"{i + 1}. {Html(l!.LetterId)} ({Html(l.Kind)})"));
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><a href="/admin/programs/{Html(p.Id)}">{Html(p.Name)}</a><br><small>programs/{Html(p.Id)}.yml</small><br><a href="/admin/programs/{Html(p.Id)}/preview">Preview as a subscriber</a></td><td>{Html(mode)}</td>
                <td class="n">{p.LettersPerWeek}</td><td>{p.OfferAfter} : 1 — {p.OfferAfter} letters that give value, then 1 {Html(p.OfferKind)}</td>
                <td>{Html(string.Join(" / ", p.Mix))}</td><td>{windows}</td><td>{order}</td></tr>
                """);
        }
        body.Append("</tbody></table>");
        body.Append(NewForm("/admin/programs", "New program"));

        body.Append("""<h2 id="sequences">Sequences</h2>""");
        body.Append("""<table><thead><tr><th>Sequence</th><th>Trigger</th><th>Window</th><th>Steps</th></tr></thead><tbody>""");
        foreach (var s in library.Sequences.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            var steps = string.Join("<br>", s.Steps.Select(st => $"{st.Index + 1}. {Html(st.LetterId)} after {Html(st.Delay.ToString())}{(st.Urgent ? " (urgent)" : "")}"));
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><a href="/admin/sequences/{Html(s.Id)}">{Html(s.Name)}</a><br><small>sequences/{Html(s.Id)}.yml</small></td>
                <td>{Html(s.Trigger)}</td><td>{s.WindowStart:HH\:mm}-{s.WindowEnd:HH\:mm}</td><td>{steps}</td></tr>
                """);
        }
        body.Append("</tbody></table>");
        body.Append(NewForm("/admin/sequences", "New sequence"));

        body.Append("""<h2 id="dates">Date letters</h2>""");
        body.Append("""<table><thead><tr><th>Date letter</th><th>Letter</th><th>On</th><th class="n">Days before</th><th>Window</th><th>Discount code</th></tr></thead><tbody>""");
        foreach (var d in library.Dates.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var on = d.Field is { } field ? $"every year on the subscriber's {field}"
                : $"every year on {new DateOnly(2000, d.Fixed!.Value.Month, d.Fixed.Value.Day):d MMMM}";
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{Html(d.Name)}<br><small><a href="/admin/dates/{Html(d.Id)}/yaml">dates/{Html(d.Id)}.yml</a></small></td><td>{Html(d.LetterId)}</td>
                <td>{Html(on)}</td><td class="n">{d.DaysBefore}</td><td>{Html(d.Window.ToString())}</td><td>{(d.DiscountCode ? "yes" : "no")}</td></tr>
                """);
        }
        body.Append("</tbody></table><p>Date letters are edited as YAML (the file name links to it).</p>");

        body.Append("""<h2 id="caps">Frequency caps</h2>""").Append(CapsTable(planner.Caps, configured, library.Caps));
        body.Append("""<p><a href="/admin/caps">Edit the caps</a></p>""");
        return Render("Programs and sequences", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    /// <summary>The "new" boxes on the overview: open the editor on a file that does not exist yet (its first save creates it).</summary>
    private static IResult OpenNew(HttpContext http, IAntiforgery antiforgery, string folder, string? name)
    {
        if (name is null)
        {
            return Results.LocalRedirect($"/admin/programs#{folder}");
        }
        var id = name.Trim().ToLowerInvariant();
        return IsId(id)
            ? Results.LocalRedirect($"/admin/{folder}/{id}")
            : Render("Not a file name", $"""
                <p class="error" role="alert">'{Html(name)}' cannot be a file name: use lower-case letters, digits and dashes, like post-sale.</p>
                <p><a href="/admin/programs#{folder}">Back</a></p>
                """, http.User.Identity?.Name, http, antiforgery, StatusCodes.Status400BadRequest);
    }

    private static string NewForm(string action, string label) => $"""
        <form method="get" action="{action}"><label>{Html(label)}: file name <input type="text" name="new" pattern="[a-z0-9][a-z0-9-]*"
        placeholder="lower-case letters, digits, dashes" required></label> <button type="submit">Create</button></form>
        """;

    /// <summary>The folder is out of step with the disk: the last change made outside the browser did not pass lint.</summary>
    private static string PendingBanner(TemplateEditor editor) => editor.Pending.Count == 0 ? "" : $"""
        <div class="problems" role="alert"><p><strong>The files on disk have problems, so Drip goes on with the last version that passed lint.</strong>
        Until they are fixed (in git or below), every save is refused with them:</p>{ProblemList(editor.Pending)}</div>
        """;

    private static string ProblemList(IEnumerable<TemplateProblem> problems) =>
        "<ul>" + string.Concat(problems.Select(p => $"<li><code>{Html(p.ToString())}</code></li>")) + "</ul>";

    /// <summary>What happened to the last save, above a form.</summary>
    private static string Outcome(bool saved, TemplateFile? conflict, FieldProblems problems, string? message)
    {
        var html = new StringBuilder();
        if (saved)
        {
            html.Append("""<p class="notice" role="status">Saved. Drip is using it now.</p>""");
        }
        if (message is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<p class="problems" role="alert">{Html(message)}</p>""");
        }
        if (conflict is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <div class="problems" role="alert"><p><strong>Not saved: templates/{Html(conflict.Relative)} changed since you opened it</strong>
                (a save in another window, or a change in git). Your version is in the form below; the file now reads:</p>
                <pre class="disk">{Html(conflict.Exists ? conflict.Text : "(the file was deleted)")}</pre>
                <p>Save again to replace it with your version, or <a href="?">open the current version</a> and start from that.</p></div>
                """);
        }
        if (problems.Any)
        {
            html.Append("""<div class="problems" role="alert"><p><strong>Not saved.</strong> Nothing was written; fix what is marked and save again.</p>""");
            if (problems.Other.Count > 0)
            {
                html.Append(ProblemList(problems.Other));
            }
            html.Append("</div>");
        }
        return html.ToString();
    }

    private static string Field(string name, string label, string control, FieldProblems problems, string? hintHtml = null)
    {
        var invalid = problems.ByField.TryGetValue(name, out var error);
        return $"""
            <div class="field{(invalid ? " invalid" : "")}" data-field="{Html(name)}"><label for="{FieldId(name)}">{Html(label)}</label>{control}{(hintHtml is null ? "" : $"<small>{hintHtml}</small>")}{(invalid ? $"""<p class="error" role="alert">{Html(error)}</p>""" : "")}</div>
            """;
    }

    private static string TextInput(string name, string value, string? placeholder = null, string type = "text") =>
        $"""<input type="{type}" id="{FieldId(name)}" name="{Html(name)}" value="{Html(value)}"{(placeholder is null ? "" : $" placeholder=\"{Html(placeholder)}\"")}>""";

    private static string FieldId(string name) => "f-" + NotIdCharacters().Replace(name, "-");

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotIdCharacters();

    /// <summary>A file name the editor accepts (<c>weekly</c>, <c>post-sale</c>); anything else is not a page.</summary>
    private static bool IsId(string? id) => id is { Length: > 0 and <= 64 } && FileId().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex FileId();

    private static async Task<(IFormCollection Form, bool Valid)> ReadFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var valid = await antiforgery.IsRequestValidAsync(http);
        return (await http.Request.ReadFormAsync(), valid);
    }

    private const string Expired = "The form expired before it was sent, so nothing was saved. Your values are below: save again.";

    private static string Hidden(string name, string value) => $"""<input type="hidden" name="{Html(name)}" value="{Html(value)}">""";

    private static string Header(TemplateEditor editor, string relative, string yamlLink) => $"""
        {FormStyle}{PendingBanner(editor)}
        <p><code>templates/{Html(relative)}</code> · <a href="{yamlLink}">Edit as YAML</a> · <a href="/admin/programs">All programs and sequences</a></p>
        """;
}
