using System.Globalization;
using System.Text;
using Drip.Authoring;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>The program editor: the cadence rules of <c>templates/programs/NAME.yml</c> as a form.</summary>
internal static partial class ProgramPages
{
    private static IResult ShowProgram(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id, string? saved)
    {
        if (!IsId(id))
        {
            return Results.NotFound();
        }
        var file = editor.Open($"programs/{id}.yml");
        ProgramDraft draft;
        try
        {
            draft = file.Exists ? ProgramDraft.Parse(file.Text) : new ProgramDraft();
        }
        catch (FormatException e)
        {
            return Unreadable(http, antiforgery, editor, file, $"/admin/programs/{id}/yaml", e.Message);
        }
        return ProgramForm(http, antiforgery, editor, id, draft, file.Fingerprint, !file.Exists, saved is not null, null, FieldProblems.None, null);
    }

    private static async Task<IResult> SaveProgramAsync(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id)
    {
        if (!IsId(id))
        {
            return Results.NotFound();
        }
        var (form, valid) = await ReadFormAsync(http, antiforgery);
        var draft = BindProgram(form);
        var fingerprint = form["fingerprint"].ToString();
        var isNew = fingerprint.Length == 0;
        if (!valid)
        {
            return ProgramForm(http, antiforgery, editor, id, draft, fingerprint, isNew, false, null, FieldProblems.None, Expired, StatusCodes.Status400BadRequest);
        }
        var relative = $"programs/{id}.yml";
        if (draft.Check() is { Count: > 0 } errors)
        {
            return ProgramForm(http, antiforgery, editor, id, draft, fingerprint, isNew, false, null, new FieldProblems(errors, []), null,
                StatusCodes.Status422UnprocessableEntity);
        }
        var generated = draft.ToYaml();
        var outcome = editor.Save(relative, generated.Text, fingerprint);
        if (outcome.IsSaved)
        {
            return Results.LocalRedirect($"/admin/programs/{id}?saved=1");
        }
        return outcome.IsConflict
            ? ProgramForm(http, antiforgery, editor, id, draft, outcome.OnDisk!.Fingerprint, isNew, false, outcome.OnDisk, FieldProblems.None, null,
                StatusCodes.Status409Conflict)
            : ProgramForm(http, antiforgery, editor, id, draft, fingerprint, isNew, false, null, generated.Sort(outcome.Problems, editor.Shown(relative)), null,
                StatusCodes.Status422UnprocessableEntity);
    }

    private static ProgramDraft BindProgram(IFormCollection form) => new()
    {
        Name = form["name"].ToString().Trim(),
        Mode = form["mode"].ToString().Trim(),
        Start = form["start"].ToString().Trim(),
        LettersPerWeek = form["letters_per_week"].ToString().Trim(),
        OfferAfter = form["offer_after"].ToString().Trim(),
        OfferKind = form["offer_kind"].ToString().Trim(),
        Mix = form["mix"].Select(k => k?.Trim() ?? "").Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).ToList(),
        Windows = form.Keys.Where(k => k.StartsWith(ProgramDraft.WindowField, StringComparison.Ordinal) && IsWindowName(k[ProgramDraft.WindowField.Length..]))
            .Select(k => new KeyValuePair<string, string>(k[ProgramDraft.WindowField.Length..], form[k].ToString().Trim()))
            .ToList(),
        Pool = form["pool"].ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList(),
    };

    private static bool IsWindowName(string name) => name.Length is > 0 and <= 40 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static IResult ProgramForm(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, string id, ProgramDraft draft, string fingerprint,
        bool isNew, bool saved, TemplateFile? conflict, FieldProblems problems, string? message, int status = StatusCodes.Status200OK)
    {
        var library = editor.Library;
        var relative = $"programs/{id}.yml";
        var body = new StringBuilder(Header(editor, relative, $"/admin/programs/{id}/yaml"));
        body.Append(Outcome(saved, conflict, problems, message));
        body.Append(CultureInfo.InvariantCulture, $"""<form class="edit" method="post" action="/admin/programs/{Html(id)}">{Token(http, antiforgery)}{Hidden("fingerprint", fingerprint)}""");

        body.Append(Field("name", "Name", TextInput("name", draft.Name, id), problems, "What the marketer calls it; empty shows the file name."));
        var modes = $"""
            <span class="choices" id="{FieldId("mode")}"><label><input type="radio" name="mode" value="evergreen"{Checked(draft.Mode != "broadcast")}> evergreen</label>
            <label><input type="radio" name="mode" value="broadcast"{Checked(draft.Mode == "broadcast")}> broadcast</label></span>
            """;
        body.Append(Field("mode", "Mode", modes, problems,
            "evergreen: every subscriber starts at the first letter when they join and walks through the pool. "
            + "broadcast: everyone gets the current issue in the same week; set the start below."));
        body.Append(Field("start", "Start (broadcast only)", TextInput("start", draft.Start, "2026-01-05", "date"), problems,
            "A day in the week of issue 1 (Drip counts weeks from its Monday)."));
        body.Append(Field("letters_per_week", "Letters a week", TextInput("letters_per_week", draft.LettersPerWeek, null, "number"), problems,
            "At most this many of the program's letters in a subscriber's local week (1 to 14)."));
        body.Append(Field("offer_after", "Offer after", TextInput("offer_after", draft.OfferAfter, null, "number"), problems,
            "The ratio: this many letters that give value, then one offer (3 makes the 3 : 1 rule; 0 makes every letter an offer)."));
        var offerKinds = string.Concat(library.Kinds.Select(k => $"""<option value="{Html(k)}"{Selected(k == draft.OfferKind)}>{Html(k)}</option>"""));
        if (!library.Kinds.Contains(draft.OfferKind))
        {
            offerKinds += $"""<option value="{Html(draft.OfferKind)}" selected>{Html(draft.OfferKind)} (not a kind)</option>""";
        }
        body.Append(Field("offer_kind", "Offer kind", $"""<select id="{FieldId("offer_kind")}" name="offer_kind">{offerKinds}</select>""", problems,
            "The selling kind that comes after every run of letters that give value."));
        var mixKinds = draft.Mix.Concat(library.Kinds.Where(k => k != draft.OfferKind)).Distinct(StringComparer.Ordinal);
        var mix = string.Concat(mixKinds.Select(k => $"""<label><input type="checkbox" name="mix" value="{Html(k)}"{Checked(draft.Mix.Contains(k))}> {Html(k)}</label>"""));
        body.Append(Field("mix", "Mix", $"""<span class="choices" id="{FieldId("mix")}">{mix}</span>""", problems,
            "The kinds the letters that give value rotate through, in the order shown (a kind already in the mix keeps its place)."));

        body.Append("<fieldset><legend>Sending windows</legend>");
        body.Append("""
            <p><small>In each subscriber's own time zone; a letter is sent at a point spread across its window. Write the days, then the hours:
            <code>Tue-Thu 10:00-12:00</code>, <code>Wed,Thu 10:00-12:00</code>, <code>Fri 10:00-12:00</code>, <code>daily 09:00-11:00</code>.
            A letter uses the window of its size (when it has one), else of its kind, else the default. Leave a box empty to use the next one;
            with no window of their own, offers go Wed-Thu 10:00-12:00 and the rest Tue-Thu 10:00-12:00.</small></p>
            """);
        var windowNames = library.Kinds.Prepend("default")
            .Concat(library.Letters.Select(l => l.Size).OfType<string>().Order(StringComparer.Ordinal))
            .Concat(draft.Windows.Select(w => w.Key)).Distinct(StringComparer.Ordinal);
        foreach (var name in windowNames)
        {
            var value = draft.Windows.FirstOrDefault(w => w.Key == name).Value ?? "";
            var label = name == "default" ? "Default" : library.Kinds.Contains(name) ? $"Letters of kind {name}" : $"Letters of size {name}";
            body.Append(Field(ProgramDraft.WindowField + name, label, TextInput(ProgramDraft.WindowField + name, value, name == "default" ? "Tue-Thu 10:00-12:00" : null), problems));
        }
        body.Append("</fieldset>");

        var available = string.Join("; ", library.Letters.Where(l => l.Kind != LetterKinds.Service).GroupBy(l => l.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{Html(g.Key)}: {Html(string.Join(", ", g.Select(l => l.Id).Order(StringComparer.Ordinal)))}"));
        body.Append(Field("pool", "Pool: the letters, one id a line",
            $"""<textarea id="{FieldId("pool")}" name="pool" rows="14">{Html(string.Join('\n', draft.Pool))}</textarea>""", problems,
            "By kind, in the order they go out; each position takes the next letter of the kind it needs, and when that kind runs out "
            + $"the program is over for that subscriber (nothing is sent twice). Letters: {available}."));
        body.Append("""<button type="submit">Save</button></form>""");
        return Render(isNew ? $"New program {id}" : $"Program {(draft.Name.Length > 0 ? draft.Name : id)}", body.ToString(), http.User.Identity?.Name, http, antiforgery, status);
    }

    private static string Checked(bool on) => on ? " checked" : "";

    private static string Selected(bool on) => on ? " selected" : "";

    /// <summary>A file the form cannot show (it is not valid YAML, or has a key the form does not know): the YAML view can.</summary>
    private static IResult Unreadable(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, TemplateFile file, string yamlLink, string why) =>
        Render($"templates/{file.Relative}", $"""
            {Header(editor, file.Relative, yamlLink)}
            <p class="problems" role="alert">This file cannot be shown as a form ({Html(why)}). <a href="{yamlLink}">Edit it as YAML</a>.</p>
            """, http.User.Identity?.Name, http, antiforgery);
}
