using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Delivery;
using Drip.Feedback;
using Drip.History;
using Drip.Inbound;
using Drip.IntegrationTests.Smtp;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.IntegrationTests;

/// <summary>
/// Leaving and bouncing, end to end: letters come out of a real Postfix, the test acts on them the way a
/// reader (or a receiving server) would, through the running host, and the next dispatch must skip the person.
/// </summary>
[Collection(PostfixGroup.Name)]
public sealed partial class LifecycleTests(PostfixFixture postfix) : IDisposable
{
    private const string UnsubscribeBox = "unsubscribe@example.com";
    private readonly TestData _data = new();

    private DripApplication App(FakeTimeProvider? clock = null, string? bounceDomain = null)
    {
        var app = new DripApplication(_data.DataPath, postfix.Port, clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow));
        app.Settings["Sender:UnsubscribeAddress"] = UnsubscribeBox;
        app.Settings["Inbound:Folder"] = Path.Combine(_data.DataPath, "inbound");
        if (bounceDomain is not null)
        {
            app.Settings["Sender:BounceAddress"] = $"bounces@{bounceDomain}";
        }
        return app;
    }

    [Fact]
    public async Task Footer_page_unsubscribes_with_a_reason_counts_it_for_the_letter_and_the_next_dispatch_skips()
    {
        await using var app = App();
        var email = _data.Email("ada");
        var message = await ReceiveSpringNewsAsync(app, email, "Ada");

        var footer = FooterUnsubscribe().Match(message.HtmlBody!);
        Assert.True(footer.Success, "the HTML part has an Unsubscribe link");
        var url = new Uri(WebUtility.HtmlDecode(footer.Groups["url"].Value));
        var browser = app.CreateClient();
        var page = await (await browser.GetAsync(url.PathAndQuery)).Content.ReadAsStringAsync();
        Assert.Contains("name=\"reason\"", page);
        Assert.Contains("value=\"fewer\"", page);
        Assert.Contains("value=\"pause\"", page);
        Assert.Contains("name=\"program\"", page);

        var posted = await browser.PostAsync(url.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "unsubscribe", ["reason"] = "too many letters" }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("value=\"resubscribe\"", await posted.Content.ReadAsStringAsync());

        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal(SubscriberStatus.Unsubscribed, subscriber.Status);
        Assert.Contains(app.Get<IHistoryStore>().ForSubscriber(subscriber.Id), h => h.Kind == HistoryKind.Unsubscribed && h.Detail.Contains("too many letters"));
        Assert.Equal(1, app.Get<ILetterStatsStore>().Find("spring-news")!.Unsubscribes);
        Assert.Equal(SuppressionReason.Unsubscribed, app.Get<ISuppressionStore>().Find(email)!.Reason);
        await AssertNextDispatchSkipsAsync(app, email);
    }

    [Fact]
    public async Task Mail_to_the_list_unsubscribe_mailto_address_unsubscribes_and_the_next_dispatch_skips()
    {
        await using var app = App();
        var email = _data.Email("grace");
        var letter = await ReceiveSpringNewsAsync(app, email, "Grace");

        var mailto = letter.Headers["List-Unsubscribe"]!.Split(',').Select(p => p.Trim().Trim('<', '>')).Single(p => p.StartsWith("mailto:", StringComparison.Ordinal));
        var target = new Uri(mailto);
        Assert.Equal(UnsubscribeBox, target.UserInfo + "@" + target.Host);
        var subject = Uri.UnescapeDataString(target.Query.TrimStart('?').Split('&').Single(q => q.StartsWith("subject=", StringComparison.Ordinal))["subject=".Length..]);
        // A mail client sends it from the reader's address.
        Drop(Mail(email, UnsubscribeBox, subject, ""));

        Assert.Equal(1, await app.Get<InboundProcessor>().RunAsync(CancellationToken.None));
        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().FindByEmail(email)!.Status);
        await AssertNextDispatchSkipsAsync(app, email);
    }

    [Fact]
    public async Task A_reply_saying_STOP_unsubscribes_while_a_reply_that_quotes_the_footer_does_not()
    {
        await using var app = App();
        var leaving = _data.Email("lin");
        var staying = _data.Email("omar");
        var letter = await ReceiveSpringNewsAsync(app, leaving, "Lin");
        await ImportAsync(app, $"email,first_name\n{staying},Omar\n");
        var quoted = string.Join('\n', letter.TextBody!.Split('\n').Select(l => "> " + l));

        Drop(Mail(leaving, "news@example.com", "Re: " + letter.Subject, $"STOP\n\nOn Tuesday Example Shop wrote:\n{quoted}"));
        Drop(Mail(staying, "news@example.com", "Re: " + letter.Subject, $"Thank you, the linen arrived and it is lovely.\n\nOn Tuesday Example Shop wrote:\n{quoted}"));
        Assert.Equal(2, await app.Get<InboundProcessor>().RunAsync(CancellationToken.None));

        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().FindByEmail(leaving)!.Status);
        Assert.Contains(app.Get<IHistoryStore>().ForSubscriber(app.Get<ISubscriberStore>().FindByEmail(leaving)!.Id), h => h.Detail.Contains("STOP"));
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().FindByEmail(staying)!.Status);
        await AssertNextDispatchSkipsAsync(app, leaving);
    }

    [Fact]
    public async Task A_real_postfix_bounce_reaches_the_VERP_address_and_suppresses_the_subscriber()
    {
        var bounceDomain = $"b{Guid.NewGuid():N}"[..12] + ".example.net";
        await using var app = App(bounceDomain: bounceDomain);
        var email = _data.Email("async-hard-ghost");
        await ImportAsync(app, $"email,first_name\n{email},Ghost\n");
        await app.CreateApiClient().PostAsJsonAsync("/api/campaigns", new { letter = "spring-news", to = "all" });
        Assert.Equal(1, (await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None)).Sent); // accepted at RCPT, bounced later

        var dsn = Assert.Single(await postfix.WaitForAsync(bounceDomain, 1));
        var to = dsn.To.Mailboxes.Single().Address;
        Assert.StartsWith("bounces+", to);
        Drop(dsn);
        Assert.Equal(1, await app.Get<InboundProcessor>().RunAsync(CancellationToken.None));

        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal(SubscriberStatus.Bounced, subscriber.Status);
        Assert.Equal(SuppressionReason.HardBounce, app.Get<ISuppressionStore>().Find(email)!.Reason);
        Assert.Equal(1, app.Get<ILetterStatsStore>().Find("spring-news")!.Bounces);
        Assert.True(Directory.EnumerateFiles(Path.Combine(_data.DataPath, "inbound-handled")).Any(), "the report is kept, moved out of the inbox");
    }

    [Fact]
    public async Task Tracked_click_redirects_only_to_the_url_in_the_letter_and_counts_for_the_subscriber()
    {
        await using var app = App();
        var email = _data.Email("kai");
        var letter = await ReceiveSpringNewsAsync(app, email, "Kai");
        var click = TrackedLink().Match(letter.HtmlBody!);
        Assert.True(click.Success, "the letter's links go through the click redirect");
        var url = new Uri(WebUtility.HtmlDecode(click.Groups["url"].Value));
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");

        var followed = await browser.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, followed.StatusCode);
        var target = followed.Headers.Location!.ToString();
        Assert.Equal(Uri.UnescapeDataString(url.Query[(url.Query.IndexOf("u=", StringComparison.Ordinal) + 2)..]), target);

        var token = url.AbsolutePath;
        var elsewhere = await browser.GetAsync($"{token}?u={Uri.EscapeDataString("https://evil.example/")}");
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.Null(elsewhere.Headers.Location);

        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal(1, subscriber.Engagement.Clicks);
        Assert.NotNull(subscriber.Engagement.LastClickAt);
        Assert.Equal(1, app.Get<ILetterStatsStore>().Find("spring-news")!.Clicks);
    }

    [Fact]
    public async Task Double_opt_in_from_the_public_form_to_a_confirmed_subscriber_through_the_letter_link()
    {
        await using var app = App();
        var email = _data.Email("nadia");
        var browser = app.CreateClient();
        Assert.Contains("name=\"email\"", await browser.GetStringAsync("/subscribe"));

        var signUp = await browser.PostAsync("/subscribe", new FormUrlEncodedContent(new Dictionary<string, string> { ["email"] = email, ["first_name"] = "Nadia", ["source"] = "footer" }));
        Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        var pending = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal((SubscriberStatus.Pending, "form:footer"), (pending.Status, pending.ConsentSource));

        Assert.Equal(1, (await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None)).Sent);
        var letter = Assert.Single(await postfix.WaitForAsync(_data.Domain, 1));
        Assert.Equal("Nadia, please confirm your subscription", letter.Subject);
        var link = new Uri(ConfirmLink().Match(letter.TextBody!).Value);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link.PathAndQuery)).StatusCode);
        Assert.Equal(SubscriberStatus.Pending, app.Get<ISubscriberStore>().FindByEmail(email)!.Status); // opening the link is not consent
        var confirmed = await browser.PostAsync(link.PathAndQuery, null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal(SubscriberStatus.Active, subscriber.Status);
        Assert.NotNull(subscriber.ConfirmedAt);

        var forged = await browser.PostAsync(link.PathAndQuery[..^3] + "AAA", null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task The_preference_page_speaks_Russian_to_a_Russian_reader_and_pauses_or_thins_without_unsubscribing()
    {
        await using var app = App();
        var email = _data.Email("anna");
        await ImportAsync(app, $"email,first_name,locale\n{email},Анна,ru-RU\n");
        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        var url = new Uri(app.Get<UnsubscribeLinks>().Url(subscriber.Id, "spring-news"));
        var browser = app.CreateClient();

        var page = await browser.GetStringAsync(url.PathAndQuery);
        Assert.Contains("lang=\"ru\"", page);
        Assert.Contains("Отписаться от всех писем", page);
        Assert.DoesNotContain("<script", page);

        await browser.PostAsync(url.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "fewer" }));
        Assert.True(app.Get<ISubscriberStore>().Find(subscriber.Id)!.FewerLetters);
        var paused = await browser.PostAsync(url.PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "pause" }));
        Assert.Contains("Писем не будет до", await paused.Content.ReadAsStringAsync());
        var now = app.Get<ISubscriberStore>().Find(subscriber.Id)!;
        Assert.Equal(SubscriberStatus.Paused, now.Status);
        Assert.Equal(app.Clock.GetUtcNow().AddDays(30), now.PausedUntil!.Value, TimeSpan.FromSeconds(1));
        Assert.Null(app.Get<ISuppressionStore>().Find(email));
    }

    private async Task<MimeMessage> ReceiveSpringNewsAsync(DripApplication app, string email, string name)
    {
        await ImportAsync(app, $"email,first_name\n{email},{name}\n");
        var campaign = await app.CreateApiClient().PostAsJsonAsync("/api/campaigns", new { letter = "spring-news", to = "all" });
        Assert.Equal(HttpStatusCode.Accepted, campaign.StatusCode);
        Assert.True((await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None)).Sent >= 1);
        return (await postfix.WaitForAsync(_data.Domain, 1)).Single(m => m.To.Mailboxes.Single().Address == email);
    }

    private static async Task AssertNextDispatchSkipsAsync(DripApplication app, string email)
    {
        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        app.Get<IOutboxStore>().Enqueue([OutboxEntry.Create($"test:after:{subscriber.Id:N}", subscriber.Id, "spring-news", "campaign:after", app.Clock.GetUtcNow(), false, app.Clock.GetUtcNow())]);
        var report = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(0, report.Sent);
        Assert.Equal(OutboxState.Skipped, app.Get<IOutboxStore>().Find($"test:after:{subscriber.Id:N}")!.State);
    }

    private static async Task ImportAsync(DripApplication app, string csv)
    {
        var response = await app.CreateApiClient().PostAsync("/api/subscribers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static MimeMessage Mail(string from, string to, string subject, string body)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    private void Drop(MimeMessage message)
    {
        var folder = Path.Combine(_data.DataPath, "inbound");
        Directory.CreateDirectory(folder);
        message.WriteTo(Path.Combine(folder, $"{DateTime.UtcNow.Ticks}-{Guid.NewGuid():N}.eml"));
    }

    [GeneratedRegex(@"http://localhost/confirm/[A-Za-z0-9_.-]+")]
    private static partial Regex ConfirmLink();

    [GeneratedRegex("""<a href="(?<url>[^"]+/u/[^"]+)"[^>]*>Unsubscribe</a>""")]
    private static partial Regex FooterUnsubscribe();

    [GeneratedRegex("<a href=\"(?<url>http://localhost/c/[^\"]+)\"")]
    private static partial Regex TrackedLink();

    public void Dispose() => _data.Dispose();
}
