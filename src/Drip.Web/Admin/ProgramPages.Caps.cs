using System.Globalization;
using System.Text;
using Drip.Authoring;
using Drip.Cadence;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The frequency caps, saved to <c>templates/cadence.yml</c>: the form creates the file, and from then on it wins over
/// the <c>Cadence:*</c> configuration for the four caps. The planner uses a saved value from its next decision on.
/// </summary>
internal static partial class ProgramPages
{
    private static IResult ShowCaps(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, CadencePlanner planner, FrequencyCaps configured, string? saved)
    {
        var file = editor.Open(CadenceFile.FileName);
        CapsDraft draft;
        try
        {
            draft = file.Exists ? CapsDraft.Parse(file.Text) : CapsDraft.From(configured);
        }
        catch (FormatException e)
        {
            return Unreadable(http, antiforgery, editor, file, "/admin/caps/yaml", e.Message);
        }
        return CapsForm(http, antiforgery, editor, planner, configured, draft, file.Fingerprint, saved is not null, null, FieldProblems.None, null);
    }

    private static async Task<IResult> SaveCapsAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, CadencePlanner planner, FrequencyCaps configured)
    {
        var (form, valid) = await ReadFormAsync(http, antiforgery);
        var draft = new CapsDraft
        {
            MaxPerDay = form["max_per_day"].ToString().Trim(),
            MaxPerWeek = form["max_per_week"].ToString().Trim(),
            MinGap = form["min_gap"].ToString().Trim(),
            FewerPerWeek = form["fewer_per_week"].ToString().Trim(),
        };
        var fingerprint = form["fingerprint"].ToString();
        if (!valid)
        {
            return CapsForm(http, antiforgery, editor, planner, configured, draft, fingerprint, false, null, FieldProblems.None, Expired, StatusCodes.Status400BadRequest);
        }
        if (draft.Check() is { Count: > 0 } errors)
        {
            return CapsForm(http, antiforgery, editor, planner, configured, draft, fingerprint, false, null, new FieldProblems(errors, []), null,
                StatusCodes.Status422UnprocessableEntity);
        }
        var generated = draft.ToYaml();
        var outcome = editor.Save(CadenceFile.FileName, generated.Text, fingerprint);
        if (outcome.IsSaved)
        {
            return Results.LocalRedirect("/admin/caps?saved=1");
        }
        return outcome.IsConflict
            ? CapsForm(http, antiforgery, editor, planner, configured, draft, outcome.OnDisk!.Fingerprint, false, outcome.OnDisk, FieldProblems.None, null,
                StatusCodes.Status409Conflict)
            : CapsForm(http, antiforgery, editor, planner, configured, draft, fingerprint, false, null,
                generated.Sort(outcome.Problems, editor.Shown(CadenceFile.FileName)), null, StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult CapsForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, CadencePlanner planner, FrequencyCaps configured,
        CapsDraft draft, string fingerprint, bool saved, TemplateFile? conflict, FieldProblems problems, string? message, int status = StatusCodes.Status200OK)
    {
        var body = new StringBuilder(Header(editor, CadenceFile.FileName, "/admin/caps/yaml"));
        body.Append(Outcome(saved, conflict, problems, message));
        body.Append("<h2>In force now</h2>").Append(CapsTable(planner.Caps, configured, editor.Library.Caps));
        body.Append(CultureInfo.InvariantCulture, $"""
            <h2>Change them</h2>
            <p>Limits for each subscriber across every program, sequence and date letter. A letter that would break one moves to the next
            allowed slot, never dropped; urgent sequence steps are not held back but count. Saving writes <code>templates/cadence.yml</code>,
            which wins over the <code>Cadence:*</code> configuration for these four; leave a box empty to use the configured value.</p>
            <form class="edit" method="post" action="/admin/caps">{Token(http, antiforgery)}{Hidden("fingerprint", fingerprint)}
            """);
        string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
        body.Append(Field("max_per_day", "Letters a day at most", TextInput("max_per_day", draft.MaxPerDay, Number(configured.MaxPerDay), "number"), problems,
            "On one local day (1 to 10)."));
        body.Append(Field("max_per_week", "Letters a week at most", TextInput("max_per_week", draft.MaxPerWeek, Number(configured.MaxPerWeek), "number"), problems,
            "In one local week, Monday to Sunday (1 to 50)."));
        body.Append(Field("min_gap", "Least time between two letters", TextInput("min_gap", draft.MinGap, Duration(configured.MinGap)), problems,
            "Like <code>20h</code>, <code>90m</code> or <code>1d</code> (up to a week)."));
        body.Append(Field("fewer_per_week", "Letters a week for \"fewer letters\"", TextInput("fewer_per_week", draft.FewerPerWeek, Number(configured.FewerPerWeek), "number"), problems,
            "The weekly cap for someone who chose fewer letters on the preference page (1 to 50)."));
        body.Append("""<button type="submit">Save</button></form>""");
        return Render("Frequency caps", body.ToString(), http.User.Identity?.Name, http, antiforgery, status);
    }

    /// <summary>The caps in force and where each comes from; the engine's tuning is shown too, as configuration only.</summary>
    private static string CapsTable(FrequencyCaps inForce, FrequencyCaps configured, CadenceFile? file)
    {
        static string From(object? inFile, string key) => inFile is null ? $"configuration <code>Cadence:{key}</code>" : "<code>templates/cadence.yml</code>";
        return $"""
            <table class="caps"><thead><tr><th>Cap</th><th>In force</th><th>From</th></tr></thead><tbody>
            <tr><td>Letters a day at most</td><td data-cap="MaxPerDay">{inForce.MaxPerDay}</td><td>{From(file?.MaxPerDay, "MaxPerDay")}</td></tr>
            <tr><td>Letters a week at most</td><td data-cap="MaxPerWeek">{inForce.MaxPerWeek}</td><td>{From(file?.MaxPerWeek, "MaxPerWeek")}</td></tr>
            <tr><td>Least time between two letters</td><td data-cap="MinGap">{Duration(inForce.MinGap)}</td><td>{From(file?.MinGap, "MinGap")}</td></tr>
            <tr><td>Letters a week for "fewer letters"</td><td data-cap="FewerPerWeek">{inForce.FewerPerWeek}</td><td>{From(file?.FewerPerWeek, "FewerPerWeek")}</td></tr>
            <tr><td>How far ahead programs are decided; how often; written to the outbox</td>
            <td>{Duration(configured.Horizon)}; every {Duration(configured.PlanEvery)}; {Duration(configured.WriteAhead)}</td>
            <td>configuration only (<code>Cadence:Horizon</code>, <code>PlanEvery</code>, <code>WriteAhead</code>)</td></tr>
            </tbody></table>
            """;
    }

    private static string Duration(TimeSpan span) => new DelayRange(span, span).ToString();
}
