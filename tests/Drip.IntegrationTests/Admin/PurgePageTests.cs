using System.Net;
using System.Text.RegularExpressions;
using Drip.Engagement;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>List cleaning from the admin pages: the dry-run list, a confirmed run, a refused stale confirmation, the report.</summary>
public sealed partial class PurgePageTests : IDisposable
{
    private static readonly DateTimeOffset Joined = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly TestData _data = new();
    private readonly FakeTimeProvider _clock = new(Joined);

    /// <summary>
    /// Three subscribers who joined two years ago and got twelve weekly letters; Ada and Grace never opened one,
    /// Kenji opened last month. The clock then stands two years on. Only the pages run the purge here.
    /// </summary>
    private DripApplication AppWithSilentReaders(out string ada, out string grace, out string kenji)
    {
        var app = new DripApplication(_data.DataPath, null, _clock);
        app.Settings["Purge:Enabled"] = "false"; // the nightly job would run the purge itself once the clock jumps
        (ada, grace, kenji) = (_data.Email("ada"), _data.Email("grace"), _data.Email("kenji"));
        Assert.Empty(app.Get<SubscriberImporter>().Import(new StringReader($"email,first_name\n{ada},Ada\n{grace},<b>Grace</b>\n{kenji},Kenji\n"), "purge test").Errors);
        var subscribers = app.Get<ISubscriberStore>();
        var outbox = app.Get<IOutboxStore>();
        foreach (var email in new[] { ada, grace, kenji })
        {
            var id = subscribers.FindByEmail(email)!.Id;
            for (var week = 0; week < 12; week++)
            {
                var at = Joined.AddDays(7 * week + 1);
                var entry = OutboxEntry.Create($"test:{id:N}:{week}", id, "news-new-linen-colours", "program:weekly", at, urgent: false, at);
                entry.State = OutboxState.Sent;
                entry.SentAt = at;
                entry.ReadyAt = DateTimeOffset.MaxValue;
                outbox.Enqueue([entry]);
            }
        }
        _clock.SetUtcNow(Joined.AddYears(2).AddDays(-30));
        app.Get<EngagementRecorder>().Opened(subscribers.FindByEmail(kenji)!.Id, "news-new-linen-colours", machine: false);
        _clock.SetUtcNow(Joined.AddYears(2));
        return app;
    }

    [Fact]
    public async Task The_dry_run_list_shows_who_gets_a_re_engagement_letter_and_why()
    {
        await using var app = AppWithSilentReaders(out var ada, out var grace, out var kenji);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync("/admin/purges");

        var subscribers = app.Get<ISubscriberStore>();
        foreach (var email in new[] { ada, grace })
        {
            Assert.Contains($"""<a href="/admin/subscribers/{subscribers.FindByEmail(email)!.Id}">{email}</a></td><td>gets the re-engagement letter still-interested</td><td>never opened or clicked; 12 letters since</td>""", page);
        }
        Assert.DoesNotContain(kenji, page);
        Assert.Contains("""<form method="get" action="/admin/purges/confirm">""", page);
        Assert.Null(subscribers.FindByEmail(ada)!.Engagement.ReengagementSentAt); // a dry run changes nothing
    }

    [Fact]
    public async Task A_confirmed_run_re_engages_then_purges_and_its_report_can_be_downloaded()
    {
        await using var app = AppWithSilentReaders(out var ada, out var grace, out var kenji);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var subscribers = app.Get<ISubscriberStore>();

        var confirm = await browser.GetPageAsync("/admin/purges/confirm");
        Assert.Contains("2 will get a re-engagement letter (still-interested), 0 will be purged", confirm);
        var asked = await RunAsync(browser, confirm);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.Contains("2 subscriber(s) got a re-engagement letter; 0 were purged.", await asked.Content.ReadAsStringAsync());
        Assert.Equal(Joined.AddYears(2), subscribers.FindByEmail(ada)!.Engagement.ReengagementSentAt);
        Assert.Contains(app.Get<IOutboxStore>().ForSubscriber(subscribers.FindByEmail(grace)!.Id), e => e.LetterId == "still-interested"); // due now, so the scheduler may already have sent it

        _clock.Advance(TimeSpan.FromDays(15)); // the grace period passes without an answer
        await browser.SignInAsync(); // the admin cookie lasts hours, not weeks
        confirm = await browser.GetPageAsync("/admin/purges/confirm");
        Assert.Contains("0 will get a re-engagement letter (still-interested), 2 will be purged", confirm);
        var purged = await RunAsync(browser, confirm);
        var result = await purged.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
        Assert.Contains("0 subscriber(s) got a re-engagement letter; 2 were purged.", result);
        Assert.Equal(SubscriberStatus.Purged, subscribers.FindByEmail(ada)!.Status);
        Assert.Equal(SubscriberStatus.Purged, subscribers.FindByEmail(grace)!.Status);
        Assert.Equal(SubscriberStatus.Active, subscribers.FindByEmail(kenji)!.Status);
        var link = ReportLink().Match(result);
        Assert.True(link.Success, "the result links the report");
        var csv = await browser.Http.GetAsync(link.Groups["href"].Value);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var report = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith("email,subscriber_id,action,", report);
        Assert.Contains($"{ada},{subscribers.FindByEmail(ada)!.Id},purge,", report);
        Assert.Contains($"{grace},", report);
        Assert.DoesNotContain(kenji, report);
        Assert.Contains(link.Groups["href"].Value, await browser.GetPageAsync("/admin/purges")); // listed under past runs
    }

    [Fact]
    public async Task A_confirmation_of_a_list_that_has_changed_since_is_refused()
    {
        await using var app = AppWithSilentReaders(out var ada, out var grace, out _);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var subscribers = app.Get<ISubscriberStore>();
        var confirm = await browser.GetPageAsync("/admin/purges/confirm");

        app.Get<EngagementRecorder>().Opened(subscribers.FindByEmail(ada)!.Id, "news-new-linen-colours", machine: false); // Ada comes back
        var run = await RunAsync(browser, confirm);

        Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        Assert.Contains("the list changed, review it again", await run.Content.ReadAsStringAsync());
        Assert.Null(subscribers.FindByEmail(grace)!.Engagement.ReengagementSentAt);
        Assert.DoesNotContain(app.Get<IOutboxStore>().ForSubscriber(subscribers.FindByEmail(grace)!.Id), e => e.LetterId == "still-interested");
        Assert.Contains("1 will get a re-engagement letter", await browser.GetPageAsync("/admin/purges/confirm"));
    }

    [Fact]
    public async Task A_run_without_the_anti_forgery_field_does_nothing()
    {
        await using var app = AppWithSilentReaders(out var ada, out _, out _);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var fingerprint = Fingerprint().Match(await browser.GetPageAsync("/admin/purges/confirm")).Groups["value"].Value;

        var forged = await browser.Http.PostAsync("/admin/purges/run", new FormUrlEncodedContent(new Dictionary<string, string> { ["fingerprint"] = fingerprint }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(app.Get<ISubscriberStore>().FindByEmail(ada)!.Engagement.ReengagementSentAt);
    }

    [Theory]
    [InlineData("..%2Fdrip.db")]
    [InlineData("..%2Fpurge-20260101-000000.csv")]
    [InlineData("purge-20260101-000000.csv%2F..%2F..%2Fdrip.db")]
    [InlineData("..%5Cpurge-20260101-000000.csv")]
    [InlineData("drip.db")]
    [InlineData("purge-20990101-000000.csv")]
    public async Task Only_reports_in_the_purges_folder_are_served_by_name(string name)
    {
        await using var app = new DripApplication(_data.DataPath, null, _clock);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        // A file that looks like a report one folder up: reachable only by a path that climbs out.
        await File.WriteAllTextAsync(Path.Combine(_data.DataPath, "purge-20260101-000000.csv"), "secret");

        var response = await browser.Http.GetAsync($"/admin/purges/reports/{name}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/admin/calendar")]
    [InlineData("/admin/calendar/2026-03-03?window=10%3A00-12%3A00&letter=news-new-linen-colours")]
    [InlineData("/admin/purges")]
    [InlineData("/admin/purges/confirm")]
    [InlineData("/admin/purges/reports/purge-20260101-000000.csv")]
    public async Task The_new_pages_send_a_stranger_to_sign_in(string path)
    {
        await using var app = new DripApplication(_data.DataPath, null, _clock);
        var browser = new AdminBrowser(app);

        var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task A_stranger_cannot_run_the_purge()
    {
        await using var app = AppWithSilentReaders(out var ada, out _, out _);
        var browser = new AdminBrowser(app);

        var response = await browser.Http.PostAsync("/admin/purges/run", new FormUrlEncodedContent(new Dictionary<string, string> { ["fingerprint"] = "x" }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        Assert.Null(app.Get<ISubscriberStore>().FindByEmail(ada)!.Engagement.ReengagementSentAt);
    }

    private static Task<HttpResponseMessage> RunAsync(AdminBrowser browser, string confirmPage)
    {
        var fingerprint = Fingerprint().Match(confirmPage);
        Assert.True(fingerprint.Success, "the confirmation carries the fingerprint of the list it showed");
        return browser.SubmitAsync("/admin/purges/confirm", "/admin/purges/run", [new("fingerprint", fingerprint.Groups["value"].Value)]);
    }

    [GeneratedRegex("""<input type="hidden" name="fingerprint" value="(?<value>[0-9a-f]{32})">""")]
    private static partial Regex Fingerprint();

    [GeneratedRegex("""<a href="(?<href>/admin/purges/reports/purge-[0-9]{8}-[0-9]{6}\.csv)" download>""")]
    private static partial Regex ReportLink();

    public void Dispose() => _data.Dispose();
}
