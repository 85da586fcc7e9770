using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>The marketer's subscriber pages through the real host: search, profile and timeline, import with its report, export.</summary>
public sealed partial class SubscriberPagesTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));

    private static async Task<AdminBrowser> SignedInAsync(DripApplication app)
    {
        var browser = new AdminBrowser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        return browser;
    }

    /// <summary>Uploads a CSV through the form and waits on the JSON status until the job is done; returns the finished page.</summary>
    private static async Task<(string Job, string Page)> ImportAsync(AdminBrowser browser, string csv)
    {
        var started = await browser.UploadAsync("/admin/subscribers/import", "/admin/subscribers/import", "file", "list.csv", csv, [new("source", "test list")]);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        Assert.StartsWith("/admin/subscribers/import/", location);
        for (var i = 0; i < 200; i++)
        {
            var status = await browser.Http.GetFromJsonAsync<ImportStatus>(location + "/status");
            if (status!.Finished)
            {
                Assert.Equal(100, status.Percent);
                break;
            }
            await Task.Delay(50);
        }
        return (location, await browser.GetPageAsync(location));
    }

    private sealed record ImportStatus(string State, int Percent, int Rows, bool Finished);

    [Fact]
    public async Task Every_subscriber_page_sends_a_stranger_to_sign_in()
    {
        await using var app = App();
        var stranger = new AdminBrowser(app);
        var id = Guid.NewGuid();
        string[] pages =
        [
            "/admin/subscribers", $"/admin/subscribers/{id}", "/admin/subscribers/export.csv", "/admin/subscribers/import",
            "/admin/subscribers/import/progress.js", "/admin/subscribers/import/abc", "/admin/subscribers/import/abc/status",
            "/admin/subscribers/import/abc/errors.csv",
        ];

        foreach (var page in pages)
        {
            var response = await stranger.Http.GetAsync(page);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        }
        var post = await stranger.Http.PostAsync("/admin/subscribers/import", new MultipartFormDataContent { { new StringContent("email\nx@example.org\n"), "file", "x.csv" } });
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, post.Headers.Location!).AbsolutePath);
        Assert.Equal(0, app.Get<ISubscriberStore>().Count());
    }

    [Fact]
    public async Task Import_reports_a_malformed_row_by_line_imports_the_rest_and_offers_the_error_report()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var csv = $"email,first_name,time_zone\nann@{_data.Domain},Ann,Europe/Moscow\nnot-an-address,Bad,UTC\nbob@{_data.Domain},Bob,Europe/Atlantis\ncid@{_data.Domain},=HYPERLINK(\"x\"),UTC\n";

        var (job, page) = await ImportAsync(browser, csv);

        Assert.Contains("<h1>Import finished</h1>", page);
        Assert.Matches(@"Imported<b>2</b>", page);
        Assert.Matches(@"Rejected<b>2</b>", page);
        Assert.Matches(@"<td class=""n"">3</td><td>&#x27;not-an-address&#x27; is not an email address", page);
        Assert.Contains("Europe/Atlantis", page);
        Assert.Contains("<progress", page);
        Assert.NotNull(app.Get<ISubscriberStore>().FindByEmail($"ann@{_data.Domain}"));
        Assert.Equal("=HYPERLINK(\"x\")", app.Get<ISubscriberStore>().FindByEmail($"cid@{_data.Domain}")!.FirstName);

        var report = await browser.Http.GetAsync(job + "/errors.csv");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/csv", report.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", report.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await report.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("line,reason,row", lines[0].TrimEnd('\r'));
        Assert.StartsWith("3,", lines[1]);
        Assert.Contains("not-an-address,Bad,UTC", lines[1]);
        Assert.StartsWith("4,", lines[2]);
    }

    [Fact]
    public async Task A_running_import_page_has_a_progress_bar_that_polls_and_refreshes_without_script()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var jobs = app.Get<Drip.Web.Admin.ImportJobs>();
        var spool = Path.GetTempFileName();
        await File.WriteAllTextAsync(spool, $"email\nwaiting@{_data.Domain}\n");
        // Another import holds the one-at-a-time gate, so this one is still waiting when its page is read.
        await jobs.Gate.WaitAsync();
        Drip.Web.Admin.ImportJob waiting;
        try
        {
            waiting = jobs.Start(spool, "held.csv", "test");
            var page = await browser.GetPageAsync($"/admin/subscribers/import/{waiting.Id}");
            var status = await browser.Http.GetFromJsonAsync<ImportStatus>($"/admin/subscribers/import/{waiting.Id}/status");

            Assert.Contains("<h1>Importing subscribers</h1>", page);
            Assert.Contains("<progress max=\"100\" value=\"0\">", page);
            Assert.Contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>", page);
            Assert.Contains("<script src=\"/admin/subscribers/import/progress.js\" defer></script>", page);
            Assert.Contains($"data-status=\"/admin/subscribers/import/{waiting.Id}/status\"", page);
            Assert.Equal(("waiting", false), (status!.State, status.Finished));
        }
        finally
        {
            jobs.Gate.Release();
        }
        for (var i = 0; i < 200 && !waiting.Finished; i++)
        {
            await Task.Delay(50);
        }
        Assert.Contains("<h1>Import finished</h1>", await browser.GetPageAsync($"/admin/subscribers/import/{waiting.Id}"));
        var script = await browser.Http.GetAsync("/admin/subscribers/import/progress.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("fetch(box.dataset.status", await script.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_streams_the_filter_as_csv_that_imports_back_unchanged_with_formulas_defused()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var csv = $"email,first_name,last_name,time_zone,city,birthday,status\n" +
                  $"ann@{_data.Domain},Ann,\"Smith, Jr.\",Europe/Moscow,Kazan,--05-17,active\n" +
                  $"bob@{_data.Domain},=1+2,-Bob,UTC,Kazan,1990-01-02,unsubscribed\n" +
                  $"cid@{_data.Domain},Cid,Ng,UTC,Omsk,,active\n";
        await ImportAsync(browser, csv);

        var export = await browser.Http.GetAsync("/admin/subscribers/export.csv?field=city%3DKazan");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var text = await export.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cid@", text);
        Assert.Contains(",'=1+2,,'-Bob,", text);
        Assert.Contains("'--05-17", text);

        var store = app.Get<ISubscriberStore>();
        var before = new[] { "ann", "bob" }.Select(n => store.FindByEmail($"{n}@{_data.Domain}")!).ToList();
        foreach (var s in before)
        {
            Assert.True(store.Delete(s.Id));
        }
        app.Get<ISuppressionStore>().Remove($"bob@{_data.Domain}");
        var (_, page) = await ImportAsync(browser, text);

        Assert.Matches(@"Imported<b>2</b>", page);
        Assert.Matches(@"Rejected<b>0</b>", page);
        foreach (var old in before)
        {
            var back = store.FindByEmail(old.Email)!;
            Assert.Equal((old.FirstName, old.LastName, old.TimeZone, old.Status), (back.FirstName, back.LastName, back.TimeZone, back.Status));
            Assert.Equal(old.Fields.OrderBy(f => f.Key), back.Fields.OrderBy(f => f.Key));
        }
    }

    [Fact]
    public async Task Search_filters_and_the_next_page_link_walks_the_list()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var csv = "email,first_name,status\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"p{i:D3}@{_data.Domain},{(i < 5 ? "Zinaida" : "Reader")},{(i % 4 == 0 ? "unsubscribed" : "active")}\n"));
        await ImportAsync(browser, csv);

        var first = await browser.GetPageAsync("/admin/subscribers?status=active&limit=50");
        var next = NextLink().Match(first);
        Assert.True(next.Success, "the first page links to the next");
        var second = await browser.GetPageAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        var zina = await browser.GetPageAsync("/admin/subscribers?q=zin");
        var bad = await browser.Http.GetAsync("/admin/subscribers?status=sleeping");

        Assert.Equal(50, Rows().Count(first));
        Assert.Equal(40, Rows().Count(second));
        Assert.DoesNotContain("rel=\"next\"", second);
        Assert.Empty(Rows().Matches(first).Select(m => m.Value).Intersect(Rows().Matches(second).Select(m => m.Value)));
        Assert.Equal(5, Rows().Count(zina));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("status is one of", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_subscriber_page_escapes_names_and_shows_the_event_and_the_sent_letter()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var api = app.CreateApiClient();
        var email = _data.Email("mallory");
        var created = await api.PostAsJsonAsync("/api/subscribers", new { email, firstName = "<script>alert(1)</script>", fields = new { note = "<b>bold</b>" } });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
        await api.PostAsJsonAsync("/api/events", new { name = "sale", email });
        await app.Get<Drip.Delivery.Dispatcher>().DispatchDueAsync(CancellationToken.None);

        var page = await browser.GetPageAsync($"/admin/subscribers/{id}");
        var list = await browser.GetPageAsync("/admin/subscribers");

        Assert.DoesNotContain("<script>alert(1)</script>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.DoesNotContain("<b>bold</b>", page);
        Assert.DoesNotContain("<script>alert(1)</script>", list);
        Assert.Contains("""<tr class="event">""", page);
        Assert.Contains("""<tr class="letter-sent">""", page);
        Assert.Contains("sale", page);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync($"/admin/subscribers/{Guid.NewGuid()}")).StatusCode);
    }

    [GeneratedRegex("""<a rel="next" href="([^"]+)">""")]
    private static partial Regex NextLink();

    [GeneratedRegex("""<tr><td><a href="/admin/subscribers/[0-9a-f-]{36}">[^<]+</a>""")]
    private static partial Regex Rows();

    public void Dispose() => _data.Dispose();
}
