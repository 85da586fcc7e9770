using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Engagement;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// List cleaning by hand: the dry-run list (the same as <c>drip purge --dry-run</c>) with each person's reason,
/// then a confirmation page that carries a fingerprint of the list it showed, so a run whose list changed
/// in between is refused; the CSV report of each run can be downloaded by its name.
/// </summary>
internal static partial class PurgePages
{
    /// <summary>Rows per page of the dry-run list.</summary>
    public const int PageSize = 200;

    public static IEndpointRouteBuilder MapPurges(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/purges").RequireAuthorization(AdminAuthentication.Policy);
        group.MapGet("", ShowList);
        group.MapGet("/confirm", Confirm);
        group.MapPost("/run", RunAsync).DisableAntiforgery();
        group.MapGet("/reports/{name}", Download);
        return routes;
    }

    private static IResult ShowList(HttpContext http, IAntiforgery antiforgery, Purger purger, PurgeOptions options, int? page)
    {
        var report = purger.Run(dryRun: true);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p>Who a purge would touch now, and why (the same list as <code>drip purge --dry-run</code>). Subscribers with no human
            open or click for {options.InactiveFor.TotalDays:0} days, on the list at least that long, who got {options.MinLetters} or more
            letters since, get the re-engagement letter <strong>{Html(options.Letter)}</strong>; those who still do not answer within
            {options.Grace.TotalDays:0} days are purged: taken off every program and suppressed, their record kept.
            The nightly run is {(options.Enabled ? "on" : "off")}.</p>
            <p class="cards"><span class="card">Re-engagement letters<b>{report.Reengaged:N0}</b></span>
            <span class="card">Purged<b>{report.Purged:N0}</b></span></p>
            """);
        if (report.Decisions.Count == 0)
        {
            body.Append("<p>Nobody is due for a re-engagement letter or a purge.</p>");
        }
        else
        {
            var number = Math.Max(1, page ?? 1);
            body.Append(DecisionTable(report.Decisions.Skip((number - 1) * PageSize).Take(PageSize), options));
            body.Append(Pages(number, (report.Decisions.Count + PageSize - 1) / PageSize));
            body.Append("""
                <form method="get" action="/admin/purges/confirm"><button type="submit">Run the purge…</button></form>
                """);
        }
        body.Append(Reports(purger.ReportFolder));
        return Render("Purges", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static IResult Confirm(HttpContext http, IAntiforgery antiforgery, Purger purger, PurgeOptions options)
    {
        var report = purger.Run(dryRun: true);
        if (report.Decisions.Count == 0)
        {
            return Render("Run the purge", """<p>Nobody is due for a re-engagement letter or a purge. <a href="/admin/purges">Back to the list</a></p>""",
                http.User.Identity?.Name, http, antiforgery);
        }
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            <p class="notice">{report.Reengaged:N0} will get a re-engagement letter ({Html(options.Letter)}), {report.Purged:N0} will be purged.</p>
            <p>Purged subscribers are taken off every program and suppressed; their records stay, and a CSV report lists each of them.
            If the list changes before you confirm (someone opens a letter), the run is refused and you review it again.</p>
            <form method="post" action="/admin/purges/run">{Token(http, antiforgery)}
              <input type="hidden" name="fingerprint" value="{Html(report.Fingerprint)}">
              <button type="submit">Yes, run the purge</button> <a href="/admin/purges">Cancel</a>
            </form>
            """);
        return Render("Run the purge", body, http.User.Identity?.Name, http, antiforgery);
    }

    private static async Task<IResult> RunAsync(HttpContext http, IAntiforgery antiforgery, Purger purger)
    {
        var user = http.User.Identity?.Name;
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Render("Run the purge", """<p class="error" role="alert">The form expired. <a href="/admin/purges">Review the list again</a>.</p>""",
                user, http, antiforgery, StatusCodes.Status400BadRequest);
        }
        var form = await http.Request.ReadFormAsync();
        if (purger.RunConfirmed(form["fingerprint"].ToString()) is not { } report)
        {
            return Render("Run the purge", """
                <p class="error" role="alert">Nothing was done: the list changed, review it again.</p>
                <p><a href="/admin/purges">Back to the list</a></p>
                """, user, http, antiforgery, StatusCodes.Status409Conflict);
        }
        var file = report.ReportFile is { } path ? Path.GetFileName(path) : null;
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            <p>{report.Reengaged:N0} subscriber(s) got a re-engagement letter; {report.Purged:N0} were purged.</p>
            {(file is null ? "" : $"""<p><a href="/admin/purges/reports/{Html(file)}" download>Download the report ({Html(file)})</a></p>""")}
            <p><a href="/admin/purges">Back to the list</a></p>
            """);
        return Render("Purge done", body, user, http, antiforgery);
    }

    /// <summary>A report by its name only: <c>purge-yyyyMMdd-HHmmss.csv</c> in the reports folder, nothing else (no <c>../</c>).</summary>
    private static IResult Download(Purger purger, string name)
    {
        if (!ReportName().IsMatch(name))
        {
            return Results.NotFound();
        }
        var path = Path.Combine(purger.ReportFolder, name);
        return File.Exists(path) ? Results.File(path, "text/csv; charset=utf-8", name) : Results.NotFound();
    }

    private static string DecisionTable(IEnumerable<PurgeDecision> decisions, PurgeOptions options)
    {
        var html = new StringBuilder("""<table><thead><tr><th>Subscriber</th><th>What happens</th><th>Why</th><th>Joined</th><th>Last engaged</th><th class="n">Letters since</th></tr></thead><tbody>""");
        foreach (var d in decisions)
        {
            var action = d.Action == PurgeAction.Reengage ? $"gets the re-engagement letter {Html(options.Letter)}" : "purged";
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><a href="/admin/subscribers/{d.SubscriberId}">{Html(d.Email)}</a></td><td>{action}</td><td>{Html(d.Why)}</td>
                <td>{d.Joined:yyyy-MM-dd}</td><td>{(d.LastEngaged is { } l ? l.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "never")}</td><td class="n">{d.LettersSince:N0}</td></tr>
                """);
        }
        return html.Append("</tbody></table>").ToString();
    }

    private static string Pages(int number, int pages)
    {
        if (pages <= 1)
        {
            return "";
        }
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<nav class="pages">Page {number} of {pages}""");
        if (number > 1)
        {
            html.Append(CultureInfo.InvariantCulture, $""" · <a href="/admin/purges?page={number - 1}" rel="prev">previous</a>""");
        }
        if (number < pages)
        {
            html.Append(CultureInfo.InvariantCulture, $""" · <a href="/admin/purges?page={number + 1}" rel="next">next</a>""");
        }
        return html.Append("</nav>").ToString();
    }

    private static string Reports(string folder)
    {
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "purge-*.csv").Select(Path.GetFileName).OfType<string>().Where(n => ReportName().IsMatch(n)).OrderDescending(StringComparer.Ordinal).Take(20).ToList()
            : [];
        if (files.Count == 0)
        {
            return "";
        }
        var html = new StringBuilder("<h2>Reports of past runs</h2><ul>");
        foreach (var file in files)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<li><a href="/admin/purges/reports/{Html(file)}" download>{Html(file)}</a></li>""");
        }
        return html.Append("</ul>").ToString();
    }

    [GeneratedRegex(@"^purge-[0-9]{8}-[0-9]{6}\.csv$")]
    private static partial Regex ReportName();
}
