using System.Globalization;
using System.Text.RegularExpressions;
using Drip.Cadence;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>The dashboard's rates per program over time, fed by letters that really went out (to the pickup folder).</summary>
public sealed partial class DashboardChartTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TestData _data = new();

    [Fact]
    public async Task The_dashboard_charts_each_programs_letters_and_rates_week_by_week()
    {
        var clock = new FakeTimeProvider(Monday);
        await using var app = new DripApplication(_data.DataPath, null, clock);
        var emails = new[] { _data.Email("ada"), _data.Email("grace"), _data.Email("kenji"), _data.Email("tess") };
        Assert.Empty(app.Get<SubscriberImporter>().Import(new StringReader("email\n" + string.Join("\n", emails) + "\n"), "chart test").Errors);
        // The scheduler's work, hour by hour until Saturday: plan what comes due soon, send what is due.
        for (var hour = 0; hour < 5 * 24; hour++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            app.Get<PlanningPass>().Run();
            await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        }
        var ada = app.Get<ISubscriberStore>().FindByEmail(emails[0])!.Id;
        app.Get<EngagementRecorder>().Opened(ada, "news-new-linen-colours", machine: false);
        app.Get<EngagementRecorder>().Clicked(ada, "news-new-linen-colours", "https://example.com/", machine: false);

        var sent = app.Get<IOutboxStore>().Sent().Count(e => e.Source == "program:weekly");
        Assert.True(sent >= emails.Length, $"every subscriber got this week's letters ({sent} sent)");
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var page = await browser.GetPageAsync("/admin");

        Assert.Contains("<h2>Rates per program over time</h2>", page);
        var section = ProgramSection().Match(page);
        Assert.True(section.Success, "the weekly program has its own charts");
        var weekly = section.Groups["body"].Value;
        Assert.Contains("<h3>The Example Shop letter</h3>", weekly);
        Assert.Contains("""<svg role="img" aria-label="Letters sent per week by The Example Shop letter" """, weekly);
        Assert.Contains("""<svg role="img" aria-label="Open, click, unsubscribe and bounce rates per week of The Example Shop letter" """, weekly);
        Assert.Contains($"<title>week of 2 Mar: {sent} sent</title>", weekly);
        var rate = (1.0 / sent).ToString("0.0%", CultureInfo.InvariantCulture);
        Assert.Contains($"<title>week of 2 Mar: open rate {rate}</title>", weekly);
        Assert.Contains($"<title>week of 2 Mar: click rate {rate}</title>", weekly);
        Assert.Contains($"""<tr><td>2026-03-02</td><td class="n">{sent}</td><td class="n">{rate}</td><td class="n">{rate}</td><td class="n">0.0%</td><td class="n">0.0%</td></tr>""", weekly);
        Assert.Contains("""<tr><td>2026-02-23</td><td class="n">0</td><td class="n">–</td>""", weekly); // the week before: nothing yet
        Assert.Equal(12, Regex.Count(weekly, "<tr><td>20"));
    }

    [GeneratedRegex("""<section class="program-trend" data-source="program:weekly">(?<body>.*?)</section>""", RegexOptions.Singleline)]
    private static partial Regex ProgramSection();

    public void Dispose() => _data.Dispose();
}
