using System.Globalization;
using System.Text;
using Drip.Cadence;
using Drip.Letters;
using Drip.Subscribers;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// A program as one subscriber will live it: the letters the planner gives them over the next four weeks, in their own
/// time zone, each rendered for them. It answers the marketer's first question about a program — "what will Ada get?" —
/// with the same planner and renderer that send the letters, and writes nothing.
/// </summary>
internal static class ProgramPreviewPages
{
    private const int Days = 28;

    public static IEndpointRouteBuilder MapProgramPreview(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/programs/{id}/preview", Show).RequireAuthorization(AdminAuthentication.Policy);
        return routes;
    }

    private static IResult Show(HttpContext http, IAntiforgery antiforgery, TemplateLibrary library, ISubscriberStore subscribers,
        PlanView plan, LetterPreviewer previewer, string id, string? subscriber)
    {
        var program = library.Programs.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));
        if (program is null)
        {
            return Render("No such program", $"""<p>There is no program <code>{Html(id)}</code> in templates/programs/.</p>""", http.User.Identity?.Name, http, antiforgery, StatusCodes.Status404NotFound);
        }
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="get" action="/admin/programs/{Html(program.Id)}/preview">
              <label>Subscriber <input name="subscriber" type="email" list="program-subscribers" value="{Html(subscriber)}" required></label>
              <datalist id="program-subscribers">{string.Concat(previewer.FirstSubscribers(20).Select(s => $"""<option value="{Html(s.Email)}">"""))}</datalist>
              <button type="submit">Show their letters</button>
            </form>
            """);
        if (string.IsNullOrWhiteSpace(subscriber))
        {
            body.Append("<p>Choose a subscriber to see the letters this program sends them over the next four weeks.</p>");
        }
        else if (subscribers.FindByEmail(subscriber.Trim()) is not { } person)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">No subscriber has the address {Html(subscriber)}.</p>""");
        }
        else
        {
            body.Append(Letters(program, person, plan, previewer));
        }
        return Render($"{program.Name}: as one subscriber gets it", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static string Letters(NewsletterProgram program, Subscriber person, PlanView plan, LetterPreviewer previewer)
    {
        var source = $"program:{program.Id}";
        var letters = plan.For(person.Email, Days).Where(l => string.Equals(l.Source, source, StringComparison.OrdinalIgnoreCase)).ToList();
        var who = Html(person.FullName is { } name ? $"{name} <{person.Email}>" : person.Email);
        if (!person.IsMailable)
        {
            return $"""<p>{who} is {Html(person.Status.ToString().ToLowerInvariant())}: this program sends them nothing.</p>""";
        }
        if (letters.Count == 0)
        {
            return $"""<p>This program sends {who} nothing in the next {Days} days (they may have left it, or had every letter already).</p>""";
        }
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            <p>The next {Days} days for {who}, in their time zone ({Html(person.TimeZone ?? "the default")}), as the planner decides them now.</p>
            <table id="program-preview"><thead><tr><th>When (their time)</th><th>Kind</th><th>Subject</th><th>Why then</th></tr></thead><tbody>
            """);
        foreach (var l in letters)
        {
            var preview = previewer.RenderSaved(l.LetterId, person);
            var subject = preview.Letter?.Subject ?? string.Join("; ", preview.Problems.Select(p => p.ToString()));
            var edit = $"/admin/letters/{Uri.EscapeDataString(l.LetterId)}/edit?subscriber={Uri.EscapeDataString(person.Email)}";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{Html(PlanView.Format(l.LocalTime))}</td><td>{Html(l.Kind)}</td>
                <td><a href="{Html(edit)}">{Html(subject)}</a>
                <details><summary>Read it</summary><iframe sandbox="" title="{Html(l.LetterId)}" style="width:100%;height:28rem;border:1px solid #ddd" srcdoc="{Html(preview.Letter?.Html)}"></iframe></details></td>
                <td>{Html(l.Why)}</td></tr>
                """);
        }
        return html.Append("</tbody></table>").ToString();
    }
}
