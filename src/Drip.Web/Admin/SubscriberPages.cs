using System.Globalization;
using System.Text;
using Drip.Engagement;
using Drip.History;
using Drip.Subscribers;
using Drip.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The marketer's subscriber pages: search with filters in keyset pages, a subscriber's profile and timeline,
/// CSV import in the background with a progress bar and an error report, and CSV export of the current filter.
/// </summary>
internal static class SubscriberPages
{
    private const string ProgressScript = """
        (function () {
          var box = document.getElementById('import-progress');
          if (!box) { return; }
          function tick() {
            fetch(box.dataset.status, { credentials: 'same-origin', cache: 'no-store' })
              .then(function (r) { return r.json(); })
              .then(function (s) {
                box.querySelector('progress').value = s.percent;
                box.querySelector('[data-rows]').textContent = s.rows;
                if (s.finished) { location.reload(); } else { setTimeout(tick, 1000); }
              })
              .catch(function () { setTimeout(tick, 3000); });
          }
          setTimeout(tick, 1000);
        })();
        """;

    public static IEndpointRouteBuilder MapSubscriberPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/subscribers").RequireAuthorization(AdminAuthentication.Policy);
        group.MapGet("/", List);
        group.MapGet("/{id:guid}", Profile);
        group.MapGet("/export.csv", Export);
        group.MapGet("/import", ImportForm);
        // The form is read by the handler, not bound: a bound file makes routing answer 415 before sign-in is checked.
        group.MapPost("/import", StartImportAsync).DisableAntiforgery();
        group.MapGet("/import/progress.js", () => Results.Text(ProgressScript, "text/javascript; charset=utf-8"));
        group.MapGet("/import/{job}", ImportPage);
        group.MapGet("/import/{job}/status", ImportStatus);
        group.MapGet("/import/{job}/errors.csv", ErrorReport);
        return routes;
    }

    private static IResult List(HttpContext http, IAntiforgery antiforgery, ISubscriberStore subscribers, EngagementJudge judge, TimeProvider clock,
        string? q, string? status, string? engagement, string? field, string? after, int? limit)
    {
        var now = clock.GetUtcNow();
        var search = SubscriberSearchRequest.Parse(q, status, engagement, field, after, limit, judge, now);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><a href="/admin/subscribers/import">Import a CSV file</a> · <a href="/admin/subscribers/export.csv{Html(search.QueryString(null))}">Export these as CSV</a></p>
            <form method="get" action="/admin/subscribers" role="search">
              <label>Search <input type="search" name="q" value="{Html(q)}" placeholder="start of an email or a name"></label>
              <label>Status {Select("status", status, Enum.GetNames<SubscriberStatus>())}</label>
              <label>Engagement {Select("engagement", engagement, Enum.GetNames<EngagementLevel>())}</label>
              <label>Field <input name="field" value="{Html(field)}" placeholder="city=Kazan"></label>
              <button type="submit">Search</button>
            </form>
            """);
        if (search.Query is not { } query)
        {
            var errors = SubscriberSearchRequest.Errors(q, status, engagement, field, after, limit, judge, now);
            body.Append("""<ul class="error" role="alert">""");
            foreach (var message in errors.Values.SelectMany(m => m))
            {
                body.Append(CultureInfo.InvariantCulture, $"<li>{Html(message)}</li>");
            }
            body.Append("</ul>");
            return Render("Subscribers", body.ToString(), http.User.Identity?.Name, http, antiforgery, StatusCodes.Status400BadRequest);
        }
        var page = subscribers.Search(query);
        if (page.Items.Count == 0)
        {
            body.Append(query.After is null ? "<p>No subscriber matches.</p>" : "<p>No more subscribers match.</p>");
        }
        else
        {
            body.Append("""<table><thead><tr><th>Email</th><th>Name</th><th>Status</th><th>Engagement</th><th>Time zone</th><th>Since</th></tr></thead><tbody>""");
            foreach (var s in page.Items)
            {
                body.Append(CultureInfo.InvariantCulture, $"""
                    <tr><td><a href="/admin/subscribers/{s.Id}">{Html(s.Email)}</a></td><td>{Html(s.FullName)}</td><td>{Html(Word(s.Status))}</td>
                    <td>{Html(Word(judge.LevelOf(s, now)))}</td><td>{Html(s.TimeZone)}</td><td>{s.CreatedAt:yyyy-MM-dd}</td></tr>
                    """);
            }
            body.Append("</tbody></table>");
        }
        body.Append("<p>");
        if (query.After is not null)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<a href="/admin/subscribers{Html(search.QueryString(null))}">First page</a> """);
        }
        if (page.NextCursor is { } next)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<a rel="next" href="/admin/subscribers{Html(search.QueryString(next))}">Next page →</a>""");
        }
        body.Append("</p>");
        return Render("Subscribers", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static IResult Profile(Guid id, HttpContext http, IAntiforgery antiforgery, ISubscriberStore subscribers, SubscriberTimeline timeline,
        EngagementJudge judge, TimeProvider clock)
    {
        if (subscribers.Find(id) is not { } s)
        {
            return Render("Not found", "<p>No subscriber has this id; it may have been erased.</p>", http.User.Identity?.Name, http, antiforgery, StatusCodes.Status404NotFound);
        }
        var e = s.Engagement;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><a href="/admin/subscribers">← All subscribers</a></p>
            <table><tbody>
            <tr><th>Email</th><td>{Html(s.Email)}</td></tr>
            <tr><th>Name</th><td>{Html(s.FullName)}</td></tr>
            <tr><th>Status</th><td>{Html(Word(s.Status))}{(s.PausedUntil is { } until ? $" until {When(until)}" : "")}{(s.UnsubscribedAt is { } left ? $" since {When(left)}" : "")}</td></tr>
            <tr><th>Engagement</th><td>{Html(Word(judge.LevelOf(s, clock.GetUtcNow())))}: {e.Opens:N0} opens, {e.Clicks:N0} clicks, {e.MachineOpens:N0} machine opens; last {(e.LastEngagedAt is { } last ? When(last) : "never")}</td></tr>
            <tr><th>Time zone</th><td>{Html(s.TimeZone ?? "program default")}</td></tr>
            <tr><th>Locale</th><td>{Html(s.Locale)}</td></tr>
            <tr><th>Consent</th><td>{Html(s.ConsentSource)} {(s.ConsentAt is { } at ? When(at) : "")} {Html(s.ConsentIp)}{(s.ConfirmedAt is { } confirmed ? $"; confirmed {When(confirmed)}" : "")}</td></tr>
            <tr><th>Created</th><td>{When(s.CreatedAt)}</td></tr>
            </tbody></table>
            """);
        if (s.Fields.Count > 0)
        {
            body.Append("""<h2>Fields</h2><table><tbody>""");
            foreach (var (key, value) in s.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><th>{Html(key)}</th><td>{Html(value)}</td></tr>");
            }
            body.Append("</tbody></table>");
        }
        body.Append("<h2>Timeline</h2>");
        var items = timeline.For(s.Id);
        if (items.Count == 0)
        {
            body.Append("<p>Nothing yet.</p>");
        }
        else
        {
            body.Append("""<table><thead><tr><th>When (UTC)</th><th>What</th><th>Letter</th><th>Detail</th></tr></thead><tbody>""");
            foreach (var item in items)
            {
                body.Append(CultureInfo.InvariantCulture, $"""<tr class="{Html(item.Kind)}"><td>{When(item.At)}</td><td>{Html(item.Kind.Replace('-', ' '))}</td><td>{Html(item.LetterId)}</td><td>{Html(item.Detail)}</td></tr>""");
            }
            body.Append("</tbody></table>");
        }
        return Render(s.FullName ?? s.Email, body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static IResult Export(SubscriberExporter exporter, EngagementJudge judge, TimeProvider clock,
        string? q, string? status, string? engagement, string? field)
    {
        var now = clock.GetUtcNow();
        if (SubscriberSearchRequest.Parse(q, status, engagement, field, null, null, judge, now).Query is not { } query)
        {
            var errors = SubscriberSearchRequest.Errors(q, status, engagement, field, null, null, judge, now);
            return Results.Text(string.Join('\n', errors.Values.SelectMany(m => m)), "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        return Results.Stream(async body =>
        {
            await using var csv = new StreamWriter(body, new UTF8Encoding(false), 65536);
            await exporter.WriteAsync(csv, query, CancellationToken.None);
        }, "text/csv; charset=utf-8", $"subscribers-{now:yyyyMMdd-HHmm}.csv");
    }

    private static IResult ImportForm(HttpContext http, IAntiforgery antiforgery) =>
        Render("Import subscribers", $"""
            <p>A CSV file with a header row and an <code>email</code> column; <code>first_name</code>, <code>middle_name</code>, <code>last_name</code>,
            <code>time_zone</code> (IANA), <code>locale</code>, <code>status</code>, <code>consent_source</code> and <code>consent_at</code> are read as such,
            every other column becomes a custom field. Rows update subscribers with the same email; someone who left stays off the list.
            A bad row is reported by its line and the rest still imports.</p>
            <form method="post" action="/admin/subscribers/import" enctype="multipart/form-data">
              {Token(http, antiforgery)}
              <p><label>CSV file <input type="file" name="file" accept=".csv,text/csv" required></label></p>
              <p><label>Where the list comes from <input name="source" placeholder="e.g. webinar-2026-03" maxlength="100"></label></p>
              <button type="submit">Import</button>
            </form>
            """, http.User.Identity?.Name, http, antiforgery);

    private static async Task<IResult> StartImportAsync(ImportJobs jobs, HttpContext http, IAntiforgery antiforgery, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return Render("Import subscribers", """<p class="error" role="alert">The form expired. Please choose the file again.</p><p><a href="/admin/subscribers/import">Back</a></p>""",
                http.User.Identity?.Name, http, antiforgery, StatusCodes.Status400BadRequest);
        }
        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        var source = form["source"].ToString();
        if (file is null || file.Length == 0)
        {
            return Render("Import subscribers", """<p class="error" role="alert">Choose a CSV file to import.</p><p><a href="/admin/subscribers/import">Back</a></p>""",
                http.User.Identity?.Name, http, antiforgery, StatusCodes.Status400BadRequest);
        }
        // The request ends before the import does: keep the upload in a temporary file the job deletes.
        var spool = Path.GetTempFileName();
        await using (var target = new FileStream(spool, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await file.CopyToAsync(target, ct);
        }
        var name = Path.GetFileName(file.FileName);
        var job = jobs.Start(spool, name, string.IsNullOrWhiteSpace(source) ? $"admin import {name}" : source.Trim());
        return Results.LocalRedirect($"/admin/subscribers/import/{job.Id}");
    }

    private static IResult ImportPage(string job, ImportJobs jobs, HttpContext http, IAntiforgery antiforgery)
    {
        if (jobs.Find(job) is not { } j)
        {
            return Render("Import not found", "<p>No such import (imports are remembered until Drip restarts).</p>", http.User.Identity?.Name, http, antiforgery, StatusCodes.Status404NotFound);
        }
        var p = j.Progress;
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p>File <b>{Html(j.FileName)}</b> ({j.TotalBytes:N0} bytes), started {When(j.StartedAt)}.</p>");
        if (!j.Finished)
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <noscript><meta http-equiv="refresh" content="2"></noscript>
                <div id="import-progress" data-status="/admin/subscribers/import/{Html(j.Id)}/status">
                  <p><progress max="100" value="{j.Percent}">{j.Percent}%</progress> {Html(j.State)}: <span data-rows>{p.Rows:N0}</span> rows read</p>
                </div>
                <script src="/admin/subscribers/import/progress.js" defer></script>
                """);
            return Render("Importing subscribers", body.ToString(), http.User.Identity?.Name, http, antiforgery);
        }
        if (j.Failure is { } failure)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<p class="error" role="alert">The import stopped: {Html(failure)}. Rows written before it stay imported.</p>""");
            return Render("Import failed", body.ToString(), http.User.Identity?.Name, http, antiforgery);
        }
        var report = j.Report!;
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><progress max="100" value="100">100%</progress> done.</p>
            <section class="cards">
              <div class="card">Imported<b>{report.Created:N0}</b></div><div class="card">Updated<b>{report.Updated:N0}</b></div>
              <div class="card">Kept off the list<b>{report.KeptOff:N0}</b></div><div class="card">Rejected<b>{report.Errors.Count:N0}</b></div>
            </section>
            """);
        if (report.Errors.Count > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<h2>Rejected rows</h2><p><a href="/admin/subscribers/import/{Html(j.Id)}/errors.csv" download>Download the error report (CSV)</a></p>""");
            body.Append("""<table><thead><tr><th class="n">Line</th><th>Reason</th><th>Row</th></tr></thead><tbody>""");
            foreach (var error in report.Errors.Take(20))
            {
                body.Append(CultureInfo.InvariantCulture, $"""<tr><td class="n">{error.Line}</td><td>{Html(error.Reason)}</td><td><code>{Html(error.Raw)}</code></td></tr>""");
            }
            body.Append("</tbody></table>");
            if (report.Errors.Count > 20)
            {
                body.Append(CultureInfo.InvariantCulture, $"<p>… and {report.Errors.Count - 20:N0} more in the report.</p>");
            }
        }
        body.Append("""<p><a href="/admin/subscribers">See the subscribers</a> · <a href="/admin/subscribers/import">Import another file</a></p>""");
        return Render("Import finished", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static IResult ImportStatus(string job, ImportJobs jobs)
    {
        if (jobs.Find(job) is not { } j)
        {
            return Results.Problem("no such import", statusCode: StatusCodes.Status404NotFound);
        }
        var p = j.Progress;
        return Results.Json(new ImportStatusView(j.State, j.Percent, p.Rows, p.Created, p.Updated, p.Rejected, j.Finished));
    }

    private static IResult ErrorReport(string job, ImportJobs jobs)
    {
        if (jobs.Find(job)?.Report is not { } report)
        {
            return Results.Problem("no finished import with this id", statusCode: StatusCodes.Status404NotFound);
        }
        return Results.Stream(async body =>
        {
            await using var csv = new StreamWriter(body, new UTF8Encoding(false), 65536);
            await csv.WriteLineAsync(CsvCell.Row(["line", "reason", "row"]));
            foreach (var error in report.Errors)
            {
                await csv.WriteLineAsync(CsvCell.Row([error.Line.ToString(CultureInfo.InvariantCulture), error.Reason, error.Raw]));
            }
        }, "text/csv; charset=utf-8", $"import-{job}-errors.csv");
    }

    private static string Select(string name, string? selected, IEnumerable<string> options)
    {
        var html = new StringBuilder($"""<select name="{name}"><option value="">any</option>""");
        foreach (var option in options)
        {
            var value = option.ToLowerInvariant();
            var on = string.Equals(value, selected?.Trim(), StringComparison.OrdinalIgnoreCase) ? " selected" : "";
            html.Append(CultureInfo.InvariantCulture, $"""<option value="{Html(value)}"{on}>{Html(value)}</option>""");
        }
        return html.Append("</select>").ToString();
    }

    private static string Word<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

internal sealed record ImportStatusView(string State, int Percent, int Rows, int Created, int Updated, int Rejected, bool Finished);
