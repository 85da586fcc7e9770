using System.Globalization;
using System.Text;
using Drip.Authoring;
using Drip.Feedback;
using Drip.Letters;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The letters page: every letter in <c>templates/letters/</c> grouped by kind, with its subject template, what uses it
/// (programs, sequences, dates) and how it has done so far; and, when the folder on disk does not pass lint, why the
/// engine is still sending from the last version that did.
/// </summary>
internal static class LetterList
{
    public static IResult Render(HttpContext http, IAntiforgery antiforgery, TemplateEditor editor, ILetterStatsStore stats)
    {
        var library = editor.Library;
        var html = new StringBuilder();
        html.Append("""
            <p><a href="/admin/letters/new">New letter</a></p>
            <p class="muted">Each letter is a file in templates/letters/: front matter, then Markdown with Scriban. Saving here writes
            that file; a change made in git is picked up as soon as the folder passes lint.</p>
            """);
        if (editor.Pending is { Count: > 0 } pending)
        {
            html.Append("""<section role="alert"><p class="error">The templates folder changed on disk but does not pass lint, so the engine goes on sending from the last version that did:</p><ul class="problems">""");
            foreach (var p in pending)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Html(p.File)}, line {p.Line}, column {p.Column}: {Html(p.Message)}</li>");
            }
            html.Append("</ul></section>");
        }
        var byKind = library.Letters.GroupBy(l => l.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var kinds = library.Kinds.Append(LetterKinds.Service).Concat(byKind.Keys.Order(StringComparer.Ordinal)).Distinct(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <h2 id="kind-{Html(kind)}">{Html(Title(kind))} <a class="kind-new" href="/admin/letters/new?kind={Uri.EscapeDataString(kind)}">New {Html(kind)} letter</a></h2>
                """);
            if (!byKind.TryGetValue(kind, out var letters))
            {
                html.Append("<p class=\"muted\">No letters of this kind yet.</p>");
                continue;
            }
            html.Append("""<table><thead><tr><th>Letter</th><th>Subject</th><th>Used by</th><th class="n">Sent</th><th class="n">Opens</th><th class="n">Clicks</th><th class="n">Unsubscribes</th></tr></thead><tbody>""");
            foreach (var letter in letters.OrderBy(l => l.Id, StringComparer.Ordinal))
            {
                html.Append(Row(library, letter, stats.Find(letter.Id)));
            }
            html.Append("</tbody></table>");
        }
        return AdminPage.Render("Letters", AdminAssets.Stylesheet + html, http.User.Identity?.Name, http, antiforgery);
    }

    private static string Row(TemplateLibrary library, Letter letter, LetterStats? stats)
    {
        static string Rate(int n, int sent) => (100.0 * n / sent).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var usedBy = UsedBy(library, letter.Id);
        var numbers = stats is { Sent: > 0 } s
            ? string.Create(CultureInfo.InvariantCulture,
                $"""<td class="n">{s.Sent:N0}</td><td class="n">{Rate(s.Opens, s.Sent)}</td><td class="n">{Rate(s.Clicks, s.Sent)}</td><td class="n">{Rate(s.Unsubscribes, s.Sent)}</td>""")
            : """<td class="n muted" colspan="4">not sent yet</td>""";
        return $"""
            <tr><td><a href="/admin/letters/{Html(letter.Id)}/edit">{Html(letter.Id)}</a></td><td><code>{Html(letter.Subject.ToText())}</code></td>
            <td>{(usedBy.Count == 0 ? """<span class="muted">nothing yet</span>""" : string.Join("<br>", usedBy.Select(Html)))}</td>{numbers}</tr>
            """;
    }

    /// <summary>The programs, sequences and date letters that send this letter.</summary>
    private static List<string> UsedBy(TemplateLibrary library, string letterId)
    {
        bool Same(string id) => string.Equals(id, letterId, StringComparison.OrdinalIgnoreCase);
        var users = new List<string>();
        users.AddRange(library.Programs.Where(p => p.Pool.Values.Any(ids => ids.Any(Same))).Select(p => $"program: {p.Name}"));
        foreach (var sequence in library.Sequences)
        {
            users.AddRange(sequence.Steps.Where(s => Same(s.LetterId)).Select(s => $"sequence: {sequence.Name}, step {s.Index + 1}"));
        }
        users.AddRange(library.Dates.Where(d => Same(d.LetterId)).Select(d => $"date: {d.Name}"));
        return users;
    }

    private static string Title(string kind) => kind.Length == 0 ? kind : char.ToUpperInvariant(kind[0]) + kind[1..];
}
