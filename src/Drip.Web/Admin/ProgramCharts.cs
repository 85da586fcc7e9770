using System.Globalization;
using System.Text;
using Drip.Feedback;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// The dashboard's charts over time, one pair per program: letters sent per week as bars, and the open,
/// click, unsubscribe and bounce rates of each week as lines. Inline SVG, with the numbers in a table beside.
/// </summary>
internal static class ProgramCharts
{
    public const int Weeks = 12;

    private const double Width = 380, Height = 170, Left = 44, Right = 370, Top = 10, Bottom = 135;

    private static readonly (string Name, string Colour, Func<WeekOfLetters, int> Count)[] Rates =
    [
        ("open rate", "#1565c0", w => w.Opens),
        ("click rate", "#2e7d32", w => w.Clicks),
        ("unsubscribe rate", "#ef6c00", w => w.Unsubscribes),
        ("bounce rate", "#c62828", w => w.Bounces),
    ];

    public static string Render(IReadOnlyList<ProgramTrend> trends)
    {
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<p>The last {Weeks} weeks (ISO weeks, UTC). Each event counts in the week it happened: an open on Monday of a letter sent on Friday counts in Monday's week.</p>");
        html.Append("""<p class="legend">""");
        foreach (var (name, colour, _) in Rates)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<span><span class="swatch" style="background:{colour}"></span>{name}</span> """);
        }
        html.Append("</p>");
        foreach (var trend in trends)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <section class="program-trend" data-source="{Html(trend.Source)}"><h3>{Html(trend.Name)}</h3><div class="charts">
                <figure>{SentChart(trend)}<figcaption>Letters sent per week</figcaption></figure>
                <figure>{RateChart(trend)}<figcaption>Rates per week (share of that week's letters)</figcaption></figure>
                </div>{Table(trend)}</section>
                """);
        }
        return html.ToString();
    }

    private static string SentChart(ProgramTrend trend)
    {
        var max = Math.Max(1, trend.Weeks.Max(w => w.Sent));
        var svg = Frame($"Letters sent per week by {trend.Name}", max.ToString("N0", CultureInfo.InvariantCulture), trend.Weeks);
        var slot = (Right - Left) / trend.Weeks.Count;
        for (var i = 0; i < trend.Weeks.Count; i++)
        {
            var w = trend.Weeks[i];
            var h = (Bottom - Top) * w.Sent / max;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{Left + i * slot + slot * 0.15:0.#}" y="{Bottom - h:0.#}" width="{slot * 0.7:0.#}" height="{h:0.#}" fill="#9e9e9e"><title>week of {w.Monday:d MMM}: {w.Sent:N0} sent</title></rect>""");
        }
        return svg.Append("</svg>").ToString();
    }

    private static string RateChart(ProgramTrend trend)
    {
        var highest = trend.Weeks.SelectMany(w => Rates.Select(r => w.RateOf(r.Count(w)))).DefaultIfEmpty(0).Max();
        var max = NiceCeiling(Math.Max(0.05, highest));
        var svg = Frame($"Open, click, unsubscribe and bounce rates per week of {trend.Name}", max.ToString("0%", CultureInfo.InvariantCulture), trend.Weeks);
        var slot = (Right - Left) / trend.Weeks.Count;
        foreach (var (name, colour, count) in Rates)
        {
            var points = new List<string>();
            var dots = new StringBuilder();
            for (var i = 0; i < trend.Weeks.Count; i++)
            {
                var w = trend.Weeks[i];
                if (w.Sent == 0)
                {
                    continue; // no letters, no rate: the line skips the week rather than dropping to zero
                }
                var rate = w.RateOf(count(w));
                var (x, y) = (Left + (i + 0.5) * slot, Bottom - (Bottom - Top) * Math.Min(rate, max) / max);
                points.Add(string.Create(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#}"));
                dots.Append(CultureInfo.InvariantCulture, $"""<circle cx="{x:0.#}" cy="{y:0.#}" r="2.5" fill="{colour}"><title>week of {w.Monday:d MMM}: {name} {rate:0.0%}</title></circle>""");
            }
            if (points.Count > 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<polyline points="{string.Join(' ', points)}" fill="none" stroke="{colour}" stroke-width="2"/>""");
            }
            svg.Append(dots);
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The axes, the top value and every other week's date: what both charts share.</summary>
    private static StringBuilder Frame(string label, string top, IReadOnlyList<WeekOfLetters> weeks)
    {
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"""<svg role="img" aria-label="{Html(label)}" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-size="10">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{Left}" x2="{Left}" y1="{Top}" y2="{Bottom}" stroke="#999"/><line x1="{Left}" x2="{Right}" y1="{Bottom}" y2="{Bottom}" stroke="#999"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left - 4}" y="{Top + 8}" text-anchor="end">{Html(top)}</text><text x="{Left - 4}" y="{Bottom}" text-anchor="end">0</text>""");
        var slot = (Right - Left) / weeks.Count;
        for (var i = 0; i < weeks.Count; i += 2)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + (i + 0.5) * slot:0.#}" y="{Bottom + 14}" text-anchor="middle">{weeks[i].Monday:d MMM}</text>""");
        }
        return svg;
    }

    private static string Table(ProgramTrend trend)
    {
        var html = new StringBuilder("""<details><summary>The numbers</summary><table><thead><tr><th>Week of</th><th class="n">Sent</th>""");
        foreach (var (name, _, _) in Rates)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<th class="n">{name}</th>""");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var w in trend.Weeks)
        {
            html.Append(CultureInfo.InvariantCulture, $"""<tr><td>{w.Monday:yyyy-MM-dd}</td><td class="n">{w.Sent:N0}</td>""");
            foreach (var (_, _, count) in Rates)
            {
                html.Append(CultureInfo.InvariantCulture, $"""<td class="n">{(w.Sent == 0 ? "–" : w.RateOf(count(w)).ToString("0.0%", CultureInfo.InvariantCulture))}</td>""");
            }
            html.Append("</tr>");
        }
        return html.Append("</tbody></table></details>").ToString();
    }

    /// <summary>5%, 10%, 20%, 25%, 50%, 100%…: a top for the rate axis just above the highest rate.</summary>
    private static double NiceCeiling(double value)
    {
        foreach (var step in new[] { 0.05, 0.1, 0.2, 0.25, 0.5, 1.0 })
        {
            if (value <= step)
            {
                return step;
            }
        }
        return Math.Ceiling(value);
    }
}
