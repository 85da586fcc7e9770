using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Cadence;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>The send calendar through the real host: windows per day, counts from the plan, who gets what.</summary>
public sealed partial class CalendarPageTests : IDisposable
{
    // A Monday morning: the weekly program's first letters go on Tuesday, Wednesday or Thursday 10:00-12:00.
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Tuesday = new(2026, 3, 3);

    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(Monday));

    private static void Import(DripApplication app, string csv)
    {
        var report = app.Get<SubscriberImporter>().Import(new StringReader(csv), "calendar test");
        Assert.Empty(report.Errors);
    }

    [Fact]
    public async Task The_grid_shows_two_weeks_of_windows_and_the_planned_counts_per_letter_and_kind()
    {
        await using var app = App();
        Import(app, $"email,first_name,time_zone\n{_data.Email("ada")},Ada,Europe/London\n{_data.Email("grace")},Grace,UTC\n{_data.Email("kenji")},Kenji,\n");
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync("/admin/calendar");

        Assert.Contains("<h1>Calendar</h1>", page);
        Assert.Contains("each subscriber's own local time", page);
        Assert.Equal(14, DayCells().Matches(page).Count(m => !m.Groups["class"].Value.Contains("outside")));
        Assert.Equal(2, Regex.Count(page, "<tr><td class=\"day")); // a Monday start: exactly two week rows
        // The weekly program's windows: Tue-Thu 10:00-12:00 by default, offers Wed-Thu; nothing of it on Monday.
        Assert.Contains("The Example Shop letter: default", Cell(page, "3 Mar"));
        Assert.DoesNotContain("offer", Cell(page, "3 Mar").Split("<a")[0]);
        Assert.Contains("The Example Shop letter: default, offer", Cell(page, "4 Mar"));
        Assert.Contains("The Example Shop letter: default, offer", Cell(page, "12 Mar"));
        Assert.DoesNotContain("The Example Shop letter", Cell(page, "2 Mar"));
        Assert.DoesNotContain("The Example Shop letter", Cell(page, "6 Mar"));
        Assert.Contains("10:00-12:00", Cell(page, "3 Mar"));
        // A legend with a colour per kind.
        Assert.Matches("""<p class="legend"><span><span class="swatch" style="background:#[0-9a-f]{6}"></span>news</span>""", page);

        var plan = app.Get<PlanView>().Summary(14);
        Assert.Contains(plan, r => r.Day == Tuesday && r.Window == "10:00-12:00" && r.LetterId == "news-new-linen-colours" && r.Kind == "news" && r.Subscribers == 3);
        foreach (var row in plan)
        {
            var link = $"/admin/calendar/{row.Day:yyyy-MM-dd}?window={Uri.EscapeDataString(row.Window)}&amp;letter={Uri.EscapeDataString(row.LetterId)}";
            var count = new Regex($$"""<a class="count" href="{{Regex.Escape(link)}}"[^>]*><span class="swatch" style="background:#[0-9a-f]{6}"></span><b>(?<n>\d+)</b> {{row.Kind}}""").Match(Cell(page, $"{row.Day.Day} {row.Day:MMM}"));
            Assert.True(count.Success, $"the cell of {row.Day} links {row.LetterId} in {row.Window}");
            Assert.Equal(row.Subscribers, int.Parse(count.Groups["n"].Value));
        }
    }

    [Fact]
    public async Task A_count_opens_the_list_of_who_gets_that_letter_that_day()
    {
        await using var app = App();
        var (ada, grace, kenji, gone) = (_data.Email("ada"), _data.Email("grace"), _data.Email("kenji"), _data.Email("gone"));
        Import(app, $"email,first_name\n{ada},Ada\n{grace},Grace\n{kenji},Kenji\n{gone},Gone\n");
        var subscribers = app.Get<ISubscriberStore>();
        app.Get<Unsubscriber>().Unsubscribe(subscribers.FindByEmail(gone)!.Id, "test");
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync("/admin/calendar/2026-03-03?window=10%3A00-12%3A00&letter=news-new-linen-colours");

        Assert.Contains("3 letter(s) planned in the 10:00-12:00 window of news-new-linen-colours", page);
        foreach (var email in new[] { ada, grace, kenji })
        {
            var id = subscribers.FindByEmail(email)!.Id;
            Assert.Contains($"""<a href="/admin/subscribers/{id}">{email}</a></td><td>news-new-linen-colours</td><td>Tue 3 Mar 1""", page);
        }
        Assert.DoesNotContain(gone, page);
        Assert.Equal(3, Regex.Count(page, "<tr><td><a href=\"/admin/subscribers/"));

        var otherLetter = await browser.GetPageAsync("/admin/calendar/2026-03-03?window=10%3A00-12%3A00&letter=offer-linen-week");
        Assert.Contains("Nobody gets a letter here.", otherLetter);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync("/admin/calendar/3-March")).StatusCode);
    }

    [Fact]
    public async Task A_long_list_comes_two_hundred_to_a_page()
    {
        await using var app = App();
        var csv = new StringBuilder("email\n");
        for (var i = 0; i < 205; i++)
        {
            csv.Append(_data.Email($"reader{i:000}")).Append('\n');
        }
        Import(app, csv.ToString());
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var first = await browser.GetPageAsync("/admin/calendar/2026-03-03?letter=news-new-linen-colours");
        var second = await browser.GetPageAsync("/admin/calendar/2026-03-03?letter=news-new-linen-colours&page=2");

        Assert.Contains("205 letter(s) planned of news-new-linen-colours", first);
        Assert.Equal(200, Regex.Count(first, "<tr><td><a href=\"/admin/subscribers/"));
        Assert.Contains("""Page 1 of 2 · <a href="/admin/calendar/2026-03-03?letter=news-new-linen-colours&amp;page=2" rel="next">next</a>""", first);
        Assert.Equal(5, Regex.Count(second, "<tr><td><a href=\"/admin/subscribers/"));
        var all = Regex.Matches(first + second, "<a href=\"/admin/subscribers/(?<id>[^\"]+)\">").Select(m => m.Groups["id"].Value).ToList();
        Assert.Equal(205, all.Distinct().Count());
    }

    [Fact]
    public async Task What_the_address_bar_says_is_shown_escaped()
    {
        await using var app = App();
        Import(app, $"email\n{_data.Email("ada")}\n");
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync("/admin/calendar/2026-03-03?window=%3Cscript%3Ealert(1)%3C%2Fscript%3E&letter=%22%3E%3Cimg%20src%3Dx%3E");
        var badDay = await browser.Http.GetAsync("/admin/calendar/%3Cb%3Ebold%3Cb%3E");

        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.DoesNotContain("<img src=x>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Equal(HttpStatusCode.NotFound, badDay.StatusCode);
        var text = await badDay.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<b>bold<b>", text);
        Assert.Contains("'&lt;b&gt;bold&lt;b&gt;' is not a day", text);
    }

    /// <summary>The inside of one day's cell, found by its date label ("3 Mar").</summary>
    private static string Cell(string page, string date)
    {
        var cell = DayCells().Matches(page).SingleOrDefault(m => m.Groups["date"].Value == date);
        Assert.True(cell is not null, $"the calendar has a cell for {date}");
        return cell.Groups["body"].Value;
    }

    [GeneratedRegex("""<td class="(?<class>day[^"]*)"><div class="date">(?<date>[^<]+)</div>(?<body>.*?)</td>""", RegexOptions.Singleline)]
    private static partial Regex DayCells();

    public void Dispose() => _data.Dispose();
}
