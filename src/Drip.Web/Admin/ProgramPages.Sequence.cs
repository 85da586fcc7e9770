using System.Globalization;
using System.Text;
using Drip.Authoring;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The sequence editor: the trigger, window and steps of <c>templates/sequences/NAME.yml</c>. Rows are added and removed on
/// the server (a blank row to fill, a "remove" box per row), so the page needs no script.
/// </summary>
internal static partial class ProgramPages
{
    private static IResult ShowSequence(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id, string? saved)
    {
        if (!IsId(id))
        {
            return Results.NotFound();
        }
        var file = editor.Open($"sequences/{id}.yml");
        SequenceDraft draft;
        try
        {
            draft = file.Exists ? SequenceDraft.Parse(file.Text) : new SequenceDraft();
        }
        catch (FormatException e)
        {
            return Unreadable(http, antiforgery, editor, file, $"/admin/sequences/{id}/yaml", e.Message);
        }
        return SequenceForm(http, antiforgery, editor, id, draft, file.Fingerprint, !file.Exists, 1, saved is not null, null, FieldProblems.None, null);
    }

    private static async Task<IResult> SaveSequenceAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id)
    {
        if (!IsId(id))
        {
            return Results.NotFound();
        }
        var (form, valid) = await ReadFormAsync(http, antiforgery);
        var (draft, blankRows) = BindSequence(form);
        var fingerprint = form["fingerprint"].ToString();
        var isNew = fingerprint.Length == 0;
        if (!valid)
        {
            return SequenceForm(http, antiforgery, editor, id, draft, fingerprint, isNew, blankRows, false, null, FieldProblems.None, Expired, StatusCodes.Status400BadRequest);
        }
        if (form["action"] == "add-row")
        {
            // Only the form grows; nothing is checked or written until Save.
            return SequenceForm(http, antiforgery, editor, id, draft, fingerprint, isNew, blankRows + 1, false, null, FieldProblems.None, null);
        }
        if (draft.Check() is { Count: > 0 } errors)
        {
            return SequenceForm(http, antiforgery, editor, id, draft, fingerprint, isNew, blankRows, false, null, new FieldProblems(errors, []), null,
                StatusCodes.Status422UnprocessableEntity);
        }
        var relative = $"sequences/{id}.yml";
        var generated = draft.ToYaml();
        var outcome = editor.Save(relative, generated.Text, fingerprint);
        if (outcome.IsSaved)
        {
            return Results.LocalRedirect($"/admin/sequences/{id}?saved=1");
        }
        return outcome.IsConflict
            ? SequenceForm(http, antiforgery, editor, id, draft, outcome.OnDisk!.Fingerprint, isNew, blankRows, false, outcome.OnDisk, FieldProblems.None, null,
                StatusCodes.Status409Conflict)
            : SequenceForm(http, antiforgery, editor, id, draft, fingerprint, isNew, blankRows, false, null, generated.Sort(outcome.Problems, editor.Shown(relative)), null,
                StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>The form's rows, in order, without those ticked "remove"; a row with no letter and no delay is a blank row, not a step.</summary>
    private static (SequenceDraft Draft, int BlankRows) BindSequence(IFormCollection form)
    {
        var steps = new List<StepDraft>();
        var blank = 0;
        for (var i = 0; form.ContainsKey(SequenceDraft.StepField(i, "letter")) || form.ContainsKey(SequenceDraft.StepField(i, "delay")); i++)
        {
            var letter = form[SequenceDraft.StepField(i, "letter")].ToString().Trim();
            var delay = form[SequenceDraft.StepField(i, "delay")].ToString().Trim();
            if (form.ContainsKey(SequenceDraft.StepField(i, "remove")))
            {
                continue;
            }
            if (letter.Length == 0 && delay.Length == 0)
            {
                blank++;
                continue;
            }
            steps.Add(new StepDraft(letter, delay, form.ContainsKey(SequenceDraft.StepField(i, "urgent"))));
        }
        var draft = new SequenceDraft
        {
            Name = form["name"].ToString().Trim(),
            Trigger = form["trigger"].ToString().Trim(),
            Window = form["window"].ToString().Trim(),
            Steps = steps,
        };
        return (draft, Math.Max(1, blank));
    }

    private static IResult SequenceForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id, SequenceDraft draft, string fingerprint,
        bool isNew, int blankRows, bool saved, TemplateFile? conflict, FieldProblems problems, string? message, int status = StatusCodes.Status200OK)
    {
        var library = editor.Library;
        var body = new StringBuilder(Header(editor, $"sequences/{id}.yml", $"/admin/sequences/{id}/yaml"));
        body.Append(Outcome(saved, conflict, problems, message));
        body.Append(CultureInfo.InvariantCulture, $"""<form class="edit" method="post" action="/admin/sequences/{Html(id)}">{Token(http, antiforgery)}{Hidden("fingerprint", fingerprint)}""");
        body.Append(Field("name", "Name", TextInput("name", draft.Name, id), problems, "What the marketer calls it; empty shows the file name."));
        body.Append(Field("trigger", "Trigger event", TextInput("trigger", draft.Trigger, "sale"), problems,
            "The event name that starts it, as sent to <code>POST /api/events</code> or <code>drip event</code> (e.g. sale, signup)."));
        body.Append(Field("window", "Window", TextInput("window", draft.Window, "10:00-12:00"), problems,
            "The local time of day for steps delayed by whole days, like 10:00-12:00 (empty: 10:00-12:00). Steps of 0d or hours keep the exact time."));

        body.Append("""
            <fieldset><legend>Steps</legend>
            <p><small>Delay after the event: <code>0d</code> (at once), <code>7d</code>, <code>2h</code>, <code>1w</code>, or a range <code>10d..14d</code>
            (each subscriber gets one fixed day in it). An urgent step is not held back by the frequency caps, but counts toward them.
            Fill in the blank row to add a step; tick "remove" to drop one. Nothing changes until you save.</small></p>
            """);
        body.Append(Problem("steps", problems));
        body.Append("""<table><thead><tr><th>#</th><th>Letter</th><th>Delay</th><th>Urgent</th><th>Remove</th></tr></thead><tbody>""");
        var letters = library.Letters.OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        var rows = draft.Steps.Concat(Enumerable.Repeat(new StepDraft("", "", false), blankRows)).ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var step = rows[i];
            var isBlank = i >= draft.Steps.Count;
            var options = new StringBuilder("""<option value="">(choose a letter)</option>""");
            foreach (var letter in letters)
            {
                options.Append(CultureInfo.InvariantCulture, $"""<option value="{Html(letter.Id)}"{Selected(letter.Id == step.Letter)}>{Html(letter.Id)} ({Html(letter.Kind)})</option>""");
            }
            if (step.Letter.Length > 0 && !letters.Any(l => l.Id == step.Letter))
            {
                options.Append(CultureInfo.InvariantCulture, $"""<option value="{Html(step.Letter)}" selected>{Html(step.Letter)} (not in templates/letters/)</option>""");
            }
            string Cell(string part, string control) =>
                $"""<td class="field{(problems.ByField.ContainsKey(SequenceDraft.StepField(i, part)) ? " invalid" : "")}" data-field="{Html(SequenceDraft.StepField(i, part))}">{control}{Problem(SequenceDraft.StepField(i, part), problems)}</td>""";
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{(isBlank ? "new" : (i + 1).ToString(CultureInfo.InvariantCulture))}</td>
                {Cell("letter", $"""<select name="{SequenceDraft.StepField(i, "letter")}" aria-label="Letter of step {i + 1}">{options}</select>""")}
                {Cell("delay", $"""<input type="text" name="{SequenceDraft.StepField(i, "delay")}" value="{Html(step.Delay)}" placeholder="{(isBlank ? "7d" : "0d")}" size="10" aria-label="Delay of step {i + 1}">""")}
                <td><input type="checkbox" name="{SequenceDraft.StepField(i, "urgent")}" value="true"{Checked(step.Urgent)} aria-label="Step {i + 1} is urgent"></td>
                <td>{(isBlank ? "" : $"""<input type="checkbox" name="{SequenceDraft.StepField(i, "remove")}" value="true" aria-label="Remove step {i + 1}">""")}</td></tr>
                """);
        }
        // Save comes first, so Enter in a field saves rather than adds a row.
        body.Append("""</tbody></table></fieldset><button type="submit" name="action" value="save">Save</button> <button type="submit" name="action" value="add-row">Add another blank row</button></form>""");
        return Render(isNew ? $"New sequence {id}" : $"Sequence {(draft.Name.Length > 0 ? draft.Name : id)}", body.ToString(), http.User.Identity?.Name, http, antiforgery, status);
    }

    private static string Problem(string field, FieldProblems problems) =>
        problems.ByField.TryGetValue(field, out var message) ? $"""<p class="error" role="alert">{Html(message)}</p>""" : "";
}
