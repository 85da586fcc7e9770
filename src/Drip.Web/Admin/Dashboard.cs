using System.Globalization;
using System.Text;
using Drip.Cadence;
using Drip.Feedback;
using Drip.Outbox;
using Drip.Reporting;
using Drip.Subscribers;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The marketer's first page: the list by status, the base's structure against the typical 17/80/3, rates
/// per letter (drawn here as inline SVG, nothing loaded from elsewhere), rates per program week by week,
/// and what goes out in the next 7 days.
/// </summary>
internal static class Dashboard
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin", Show).RequireAuthorization(AdminAuthentication.Policy);
        return routes;
    }

    private static IResult Show(HttpContext http, IAntiforgery antiforgery,
        ILetterStatsStore stats, ProgramTrends trends, DashboardFigures figures, DashboardOptions options, TimeProvider clock)
    {
        var snapshot = figures.Current();
        var (byStatus, sends) = (snapshot.ByStatus, snapshot.Sends);
        var body = new StringBuilder(Age(snapshot, options, clock.GetUtcNow()));
        body.Append("""<section class="cards">""");
        foreach (var (status, count) in byStatus.Where(kv => kv.Value > 0 || kv.Key == SubscriberStatus.Active))
        {
            body.Append(CultureInfo.InvariantCulture, $"""<div class="card">{Html(status.ToString())}<b>{count:N0}</b></div>""");
        }
        body.Append(CultureInfo.InvariantCulture, $"""<div class="card">Letters sent<b>{sends.GetValueOrDefault(OutboxState.Sent):N0}</b></div>""");
        body.Append(CultureInfo.InvariantCulture, $"""<div class="card">Waiting to go<b>{sends.GetValueOrDefault(OutboxState.Due) + sends.GetValueOrDefault(OutboxState.Deferred):N0}</b></div>""");
        body.Append("</section>");

        body.Append("<h2>The base: active, passive, fans</h2>");
        body.Append(Structure(snapshot.Structure));

        body.Append("<h2>Rates per letter</h2>");
        body.Append(LetterTable(stats.All()));

        body.Append("<h2>Rates per program over time</h2>");
        body.Append(ProgramCharts.Render(trends.LastWeeks(ProgramCharts.Weeks)));

        body.Append("<h2>Next 7 days</h2>");
        body.Append(Upcoming(snapshot.NextWeek));
        return Render("Dashboard", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    /// <summary>The counts, the structure and the plan read the whole list, so they come from a snapshot; the page says how old it is.</summary>
    private static string Age(DashboardSnapshot snapshot, DashboardOptions options, DateTimeOffset now)
    {
        var age = snapshot.AgeAt(now);
        var ago = age < TimeSpan.FromMinutes(1) ? "less than a minute ago" : age < TimeSpan.FromHours(2) ? $"{(int)age.TotalMinutes} min ago" : $"{(int)age.TotalHours} h ago";
        return string.Create(CultureInfo.InvariantCulture,
            $"""<p class="hint" data-snapshot-at="{snapshot.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}">Counts, structure and the next 7 days as of {snapshot.At.UtcDateTime:HH:mm} UTC ({ago}): counted over the whole list in the background, at most every {options.RefreshEvery.TotalMinutes:0.#} min while the dashboard is in use. Rates per letter are live.</p>""");
    }

    private static string Structure(BaseStructure structure)
    {
        var (active, passive, fans) = (structure.Active, structure.Passive, structure.Fans);
        var total = Math.Max(1, active + passive + fans);
        (string Label, double Share, double Typical, string Colour)[] rows =
        [
            ("Active", 100.0 * active / total, 17, "#2e7d32"),
            ("Passive", 100.0 * passive / total, 80, "#9e9e9e"),
            ("Fans", 100.0 * fans / total, 3, "#f9a825"),
        ];
        var svg = new StringBuilder("""<svg role="img" aria-label="Share of active, passive and fan subscribers against a typical base" width="620" height="110" viewBox="0 0 620 110">""");
        for (var i = 0; i < rows.Length; i++)
        {
            var (label, share, typical, colour) = rows[i];
            var y = 8 + i * 34;
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="0" y="{y + 15}" font-size="13">{label}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="80" y="{y}" width="{share * 4:0.#}" height="20" fill="{colour}"><title>{label}: {share:0.#}%</title></rect>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{80 + typical * 4:0.#}" x2="{80 + typical * 4:0.#}" y1="{y - 3}" y2="{y + 23}" stroke="#c62828" stroke-dasharray="3 2"><title>typical {typical}%</title></line>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="490" y="{y + 15}" font-size="13">{share:0.#}% ({typical}%)</text>""");
        }
        svg.Append("</svg>");
        return svg + $"""<p>Active {active:N0}, passive {passive:N0}, fans {fans:N0}. The dashed line is a typical base (DOMAIN §5: 17 / 80 / 3).</p>""";
    }

    private static string LetterTable(IReadOnlyList<LetterStats> letters)
    {
        if (letters.Count == 0)
        {
            return "<p>No letter has gone out yet.</p>";
        }
        static string Rate(int n, int sent) => sent == 0 ? "–" : (100.0 * n / sent).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        var html = new StringBuilder("""<table><thead><tr><th>Letter</th><th class="n">Sent</th><th class="n">Opens</th><th class="n">Clicks</th><th class="n">Unsubscribes</th><th class="n">Bounces</th><th class="n">Complaints</th><th>Click rate</th></tr></thead><tbody>""");
        foreach (var l in letters.OrderByDescending(l => l.Sent).ThenBy(l => l.Id, StringComparer.Ordinal))
        {
            var click = l.Sent == 0 ? 0 : 100.0 * l.Clicks / l.Sent;
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{Html(l.Id)}</td><td class="n">{l.Sent:N0}</td><td class="n">{Rate(l.Opens, l.Sent)}</td><td class="n">{Rate(l.Clicks, l.Sent)}</td>
                <td class="n">{Rate(l.Unsubscribes, l.Sent)}</td><td class="n">{Rate(l.Bounces, l.Sent)}</td><td class="n">{Rate(l.Complaints, l.Sent)}</td>
                <td><svg width="120" height="12" role="img" aria-label="click rate {click:0.0}%"><rect width="120" height="12" fill="#eee"/><rect width="{Math.Min(120, click * 1.2):0.#}" height="12" fill="#1f3a5f"/></svg></td></tr>
                """);
        }
        html.Append("</tbody></table><p>Opens count only human opens; machine opens (privacy proxies, scanners) are kept apart.</p>");
        return html.ToString();
    }

    private static string Upcoming(IReadOnlyList<PlanRow> rows)
    {
        if (rows.Count == 0)
        {
            return "<p>Nothing planned in the next 7 days.</p>";
        }
        var html = new StringBuilder("""<table><thead><tr><th>Day (subscribers' local)</th><th>Window</th><th>Letter</th><th>Kind</th><th class="n">Subscribers</th></tr></thead><tbody>""");
        foreach (var r in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{r.Day:ddd d MMM}</td><td>{Html(r.Window)}</td><td>{Html(r.LetterId)}</td><td>{Html(r.Kind)}</td><td class="n">{r.Subscribers:N0}</td></tr>""");
        }
        return html.Append("</tbody></table>").ToString();
    }
}
