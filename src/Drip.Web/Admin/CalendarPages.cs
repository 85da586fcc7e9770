using System.Globalization;
using System.Text;
using Drip.Cadence;
using Drip.Letters;
using Drip.Planning;
using Microsoft.AspNetCore.Antiforgery;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The send calendar: the next 14 days on a Monday-to-Sunday grid, each day with its sending windows and
/// how many letters of each kind go out in each (from <see cref="PlanView"/>: the outbox plus the planner's
/// look-ahead), and a page per day, window and letter listing who gets what.
/// </summary>
internal static class CalendarPages
{
    /// <summary>How far ahead the calendar looks; the day pages use the same horizon, so their totals match the grid.</summary>
    public const int Days = 14;

    /// <summary>Rows per page of the who-gets-what list.</summary>
    public const int PageSize = 200;

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/calendar").RequireAuthorization(AdminAuthentication.Policy);
        group.MapGet("", ShowGrid);
        group.MapGet("/{day}", ShowDay);
        return routes;
    }

    private static IResult ShowGrid(HttpContext http, IAntiforgery antiforgery, PlanView plan, TemplateLibrary library,
        PlanningOptions planning, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = today.AddDays(Days - 1);
        var first = SendCalendar.Monday(today);
        var end = SendCalendar.Monday(last).AddDays(6);
        var rows = plan.Summary(Days);
        var byDay = rows.GroupBy(r => r.Day).ToDictionary(g => g.Key, g => g.ToList());
        var colours = new KindColours(library.Kinds);

        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p>The next {Days} days from {today:ddd d MMM yyyy}: each day's sending windows and, in each, how many letters of which
            kind go out. Days and hours are <strong>each subscriber's own local time</strong> (subscribers without a time zone use
            {Html(planning.DefaultTimeZone)}), so a 10:00 window opens at different moments around the world.
            Counts are what is planned now: sends already in the outbox plus what the planner will add.
            Click a count to see who gets what.</p>
            """);
        body.Append(colours.Legend(rows.Select(r => r.Kind)));
        body.Append("""<table class="calendar"><thead><tr>""");
        foreach (var name in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" })
        {
            body.Append(CultureInfo.InvariantCulture, $"<th>{name}</th>");
        }
        body.Append("</tr></thead><tbody>");
        for (var week = first; week <= end; week = week.AddDays(7))
        {
            body.Append("<tr>");
            for (var day = week; day < week.AddDays(7); day = day.AddDays(1))
            {
                var inRange = day >= today && day <= last;
                body.Append(Cell(day, inRange, byDay.GetValueOrDefault(day) ?? [], WindowsOn(day, library), colours));
            }
            body.Append("</tr>");
        }
        body.Append("</tbody></table>");
        var outside = rows.Where(r => r.Day < first || r.Day > end).Sum(r => r.Subscribers);
        if (outside > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{outside:N0} more letter(s) fall on local days just outside these weeks (far time zones).</p>");
        }
        return Render("Calendar", body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    private static string Cell(DateOnly day, bool inRange, List<PlanRow> rows, IReadOnlyDictionary<string, List<string>> windows, KindColours colours)
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""<td class="{(inRange ? "day" : "day outside")}"><div class="date">{day:d MMM}</div>""");
        var total = rows.Sum(r => r.Subscribers);
        if (total > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<div class="total"><a href="{DayLink(day, null, null)}">{total:N0} letter(s)</a></div>""");
        }
        var labels = windows.Keys.Concat(rows.Select(r => r.Window)).Distinct(StringComparer.Ordinal).OrderBy(WindowOrder, StringComparer.Ordinal);
        foreach (var label in labels)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<div class="window"><div class="hours">{Html(label)}</div>""");
            if (windows.TryGetValue(label, out var users))
            {
                html.Append(CultureInfo.InvariantCulture, $"""<div class="who">{Html(string.Join("; ", users))}</div>""");
            }
            foreach (var row in rows.Where(r => r.Window == label).OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.LetterId, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture, $"""
                    <a class="count" href="{DayLink(day, label, row.LetterId)}" title="{Html(row.LetterId)} ({Html(row.Kind)})"><span class="swatch" style="background:{colours.Of(row.Kind)}"></span><b>{row.Subscribers:N0}</b> {Html(row.Kind)} <small>{Html(row.LetterId)}</small></a>
                    """);
            }
            html.Append("</div>");
        }
        return html.Append("</td>").ToString();
    }

    /// <summary>
    /// The configured windows open on a day, by their hours, with what uses each: every program's windows by
    /// name, every sequence's window (daily, for steps delayed by whole days), and fixed-date letters on their day.
    /// </summary>
    internal static IReadOnlyDictionary<string, List<string>> WindowsOn(DateOnly day, TemplateLibrary library)
    {
        var windows = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string hours, string what)
        {
            if (!windows.TryGetValue(hours, out var list))
            {
                windows[hours] = list = [];
            }
            list.Add(what);
        }
        foreach (var program in library.Programs.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            foreach (var group in program.AllWindows().Where(w => w.Window.Allows(day.DayOfWeek)).GroupBy(w => PlanView.WindowLabel(w.Window)))
            {
                Add(group.Key, $"{program.Name}: {string.Join(", ", group.Select(w => w.Name))}");
            }
        }
        foreach (var sequence in library.Sequences.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            Add(PlanView.Hours(sequence.WindowStart, sequence.WindowEnd), sequence.Name);
        }
        foreach (var date in library.Dates.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            var occasion = day.AddDays(date.DaysBefore);
            if (date.Fixed is { } f && f.Month == occasion.Month && f.Day == occasion.Day && date.Window.Allows(day.DayOfWeek))
            {
                Add(PlanView.WindowLabel(date.Window), date.Name);
            }
        }
        return windows;
    }

    private static IResult ShowDay(HttpContext http, IAntiforgery antiforgery, PlanView plan, TemplateLibrary library, string day,
        string? window, string? letter, int? page)
    {
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Render("Calendar", $"""<p class="error">'{Html(day)}' is not a day like 2026-03-03. <a href="/admin/calendar">Back to the calendar</a></p>""",
                http.User.Identity?.Name, http, antiforgery, StatusCodes.Status404NotFound);
        }
        window = string.IsNullOrWhiteSpace(window) ? null : window;
        letter = string.IsNullOrWhiteSpace(letter) ? null : letter;
        var number = Math.Max(1, page ?? 1);
        var found = plan.Recipients(date, window, letter, Days, (number - 1) * PageSize, PageSize);
        var colours = new KindColours(library.Kinds);

        var title = string.Join(" · ", new[] { date.ToString("ddd d MMM yyyy", CultureInfo.InvariantCulture), window, letter }.OfType<string>());
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"""
            <p><a href="/admin/calendar">← Calendar</a></p>
            <p>{found.Total:N0} letter(s) planned{(window is null ? "" : $" in the {Html(window)} window")}{(letter is null ? "" : $" of {Html(letter)}")}
            on this day, in each subscriber's local time.</p>
            """);
        if (found.Total == 0)
        {
            return Render(title, body.Append("<p>Nobody gets a letter here.</p>").ToString(), http.User.Identity?.Name, http, antiforgery);
        }
        body.Append("""<table><thead><tr><th>Subscriber</th><th>Letter</th><th>Local time</th><th>Kind</th><th>Window</th><th>From</th></tr></thead><tbody>""");
        foreach (var r in found.Rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <tr><td><a href="/admin/subscribers/{r.SubscriberId}">{Html(r.Email)}</a></td><td>{Html(r.LetterId)}</td><td>{Html(PlanView.Format(r.LocalTime))}</td>
                <td><span class="swatch" style="background:{colours.Of(r.Kind)}"></span>{Html(r.Kind)}</td><td>{Html(r.Window)}</td><td>{Html(r.Source)}</td></tr>
                """);
        }
        body.Append("</tbody></table>");
        var pages = (found.Total + PageSize - 1) / PageSize;
        if (pages > 1)
        {
            body.Append(CultureInfo.InvariantCulture, $"""<nav class="pages">Page {number} of {pages}""");
            if (number > 1)
            {
                body.Append(CultureInfo.InvariantCulture, $""" · <a href="{DayLink(date, window, letter, number - 1)}" rel="prev">previous</a>""");
            }
            if (number < pages)
            {
                body.Append(CultureInfo.InvariantCulture, $""" · <a href="{DayLink(date, window, letter, number + 1)}" rel="next">next</a>""");
            }
            body.Append("</nav>");
        }
        return Render(title, body.ToString(), http.User.Identity?.Name, http, antiforgery);
    }

    /// <summary>The link to a day's list, HTML-attribute safe (query values are URL-encoded, then the whole is escaped).</summary>
    internal static string DayLink(DateOnly day, string? window, string? letter, int page = 1)
    {
        var query = new List<string>();
        if (window is not null)
        {
            query.Add("window=" + Uri.EscapeDataString(window));
        }
        if (letter is not null)
        {
            query.Add("letter=" + Uri.EscapeDataString(letter));
        }
        if (page > 1)
        {
            query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }
        var url = string.Create(CultureInfo.InvariantCulture, $"/admin/calendar/{day:yyyy-MM-dd}") + (query.Count == 0 ? "" : "?" + string.Join("&", query));
        return Html(url);
    }

    /// <summary>Windows in time order: "at 09:00" (sends due at once) sorts by its hour among "10:00-12:00" ranges.</summary>
    private static string WindowOrder(string label) => label.StartsWith("at ", StringComparison.Ordinal) ? label[3..] : label;
}

/// <summary>One colour per letter kind, the same on every page, in the order the kinds are configured.</summary>
internal sealed class KindColours(IReadOnlyList<string> kinds)
{
    private static readonly string[] Palette = ["#1565c0", "#2e7d32", "#8e24aa", "#c62828", "#ef6c00", "#00838f", "#6d4c41", "#ad1457"];
    private const string Service = "#757575";

    public string Of(string kind)
    {
        var index = kinds.ToList().FindIndex(k => k.Equals(kind, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? Service : Palette[index % Palette.Length];
    }

    /// <summary>The configured kinds, plus any other kind that appears in <paramref name="present"/>.</summary>
    public string Legend(IEnumerable<string> present)
    {
        var all = kinds.Concat(present.Where(k => !kinds.Contains(k, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal));
        var html = new StringBuilder("""<p class="legend">""");
        foreach (var kind in all)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span><span class="swatch" style="background:{Of(kind)}"></span>{Html(kind)}</span> """);
        }
        return html.Append("</p>").ToString();
    }
}
