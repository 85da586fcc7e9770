using System.Net;
using System.Net.Http.Json;
using System.Text;
using Drip.Delivery;
using Drip.History;
using Drip.IntegrationTests.Smtp;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.IntegrationTests;

/// <summary>A sale goes in through the API and the thank-you letter comes out of a real Postfix.</summary>
[Collection(PostfixGroup.Name)]
public sealed class SendPipelineTests(PostfixFixture postfix) : IDisposable
{
    private readonly TestData _data = new();

    [Fact]
    public async Task Sale_event_delivers_the_thank_you_letter_with_the_name_in_subject_and_greeting()
    {
        await using var app = new DripApplication(_data.DataPath, postfix.Port, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var api = app.CreateApiClient();
        var email = _data.Email("ada");
        await ImportAsync(api, $"email,first_name,last_name,time_zone\n{email},Ada,Lovelace,Europe/London\n");

        var recorded = await api.PostAsJsonAsync("/api/events", new { name = "sale", email });
        Assert.Equal(HttpStatusCode.Accepted, recorded.StatusCode);
        var report = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(1, report.Sent);

        var message = Assert.Single(await postfix.WaitForAsync(_data.Domain, 1));
        Assert.Equal(email, message.To.Mailboxes.Single().Address);
        Assert.Equal("Ada, thank you for choosing us", message.Subject);
        Assert.IsType<MultipartAlternative>(message.Body);
        Assert.StartsWith("Dear Ada,", message.TextBody);
        Assert.Contains("<p>Dear Ada,</p>", message.HtmlBody);
        Assert.Contains("12 Garden Street", message.TextBody);

        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        var entry = app.Get<IOutboxStore>().ForSubscriber(subscriber.Id).Single(e => e.LetterId == "thank-you");
        Assert.Equal(OutboxState.Sent, entry.State);
        Assert.Equal(IdempotencyKey.MessageId(entry.Id, "example.com"), message.MessageId);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task Unsubscribe_link_from_the_received_letter_works_and_stops_the_rest_of_the_sequence()
    {
        await using var app = new DripApplication(_data.DataPath, postfix.Port, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var api = app.CreateApiClient();
        var email = _data.Email("grace");
        await ImportAsync(api, $"email,first_name\n{email},Grace\n");
        await api.PostAsJsonAsync("/api/events", new { name = "sale", email });
        await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        var message = Assert.Single(await postfix.WaitForAsync(_data.Domain, 1));

        var header = message.Headers["List-Unsubscribe"]!;
        var url = new Uri(header.Split(',')[0].Trim().Trim('<', '>'));
        Assert.Contains(url.ToString(), message.TextBody);
        Assert.Contains(WebUtility.HtmlEncode(url.ToString()), message.HtmlBody);

        var anonymous = app.CreateClient();
        var page = await anonymous.GetAsync(url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync());
        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().Find(subscriber.Id)!.Status); // GET changes nothing

        var oneClick = await anonymous.PostAsync(url.PathAndQuery, new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        var again = await anonymous.PostAsync(url.PathAndQuery, new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().Find(subscriber.Id)!.Status);

        app.Clock.Advance(TimeSpan.FromDays(15));
        var report = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(0, report.Sent);
        Assert.Equal(2, report.Skipped);
        await Task.Delay(500);
        Assert.Single(postfix.ReceivedFor(_data.Domain));
    }

    [Fact]
    public async Task Tampered_unsubscribe_token_is_refused_and_changes_nothing()
    {
        await using var app = new DripApplication(_data.DataPath, postfix.Port, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var api = app.CreateApiClient();
        var email = _data.Email("kenji");
        await ImportAsync(api, $"email,first_name\n{email},Kenji\n");
        var subscriber = app.Get<ISubscriberStore>().FindByEmail(email)!;
        var url = app.Get<UnsubscribeLinks>().Url(subscriber.Id);
        var token = url[(url.LastIndexOf('/') + 1)..];
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        var response = await app.CreateClient().PostAsync($"/u/{tampered}", new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().Find(subscriber.Id)!.Status);
    }

    [Fact]
    public async Task Recipient_refused_with_550_is_recorded_as_bounced_and_450_is_deferred_and_retried()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DripApplication(_data.DataPath, postfix.Port, clock);
        var api = app.CreateApiClient();
        var hard = _data.Email("hard-nobody");
        var soft = _data.Email("soft-busy");
        var fine = _data.Email("fine");
        var policy = _data.Email("policy-blocked");
        await ImportAsync(api, $"email,first_name\n{hard},Hard\n{soft},Soft\n{fine},Fine\n{policy},Policy\n");
        var campaign = await api.PostAsJsonAsync("/api/campaigns", new { letter = "spring-news", to = "all" });
        Assert.Equal(HttpStatusCode.Accepted, campaign.StatusCode);

        var first = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal((1, 2, 1), (first.Sent, first.Bounced, first.Deferred));

        var subscribers = app.Get<ISubscriberStore>();
        var outbox = app.Get<IOutboxStore>();
        var hardSubscriber = subscribers.FindByEmail(hard)!;
        var bounced = outbox.ForSubscriber(hardSubscriber.Id).Single();
        Assert.Equal(OutboxState.Bounced, bounced.State);
        Assert.Equal(550, bounced.SmtpStatus);
        Assert.Contains("5.1.1", bounced.LastError);
        Assert.Equal(SubscriberStatus.Bounced, hardSubscriber.Status);
        Assert.Contains(app.Get<IHistoryStore>().ForSubscriber(hardSubscriber.Id), h => h.Kind == HistoryKind.LetterBounced);

        // 554 5.7.1 is a policy refusal: the letter is bounced, but the address is not to blame.
        var policySubscriber = subscribers.FindByEmail(policy)!;
        Assert.Equal(OutboxState.Bounced, outbox.ForSubscriber(policySubscriber.Id).Single().State);
        Assert.Equal(SubscriberStatus.Active, policySubscriber.Status);

        var deferred = outbox.ForSubscriber(subscribers.FindByEmail(soft)!.Id).Single();
        Assert.Equal(OutboxState.Deferred, deferred.State);
        Assert.Equal(450, deferred.SmtpStatus);
        Assert.Equal(1, deferred.Attempts);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), deferred.DueAt, TimeSpan.FromSeconds(1));

        var tooEarly = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(0, tooEarly.Deferred);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var retry = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(1, retry.Deferred);
        var retried = outbox.Find(deferred.Id)!;
        Assert.Equal(2, retried.Attempts);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(5), retried.DueAt, TimeSpan.FromSeconds(1));

        var received = await postfix.WaitForAsync(_data.Domain, 1);
        await Task.Delay(500);
        Assert.Equal([fine], postfix.ReceivedFor(_data.Domain).Select(m => m.To.Mailboxes.Single().Address));
        Assert.Single(received);
    }

    [Fact]
    public async Task Relay_without_starttls_when_tls_is_required_sends_nothing_and_keeps_the_letter_queued()
    {
        await using var app = new DripApplication(_data.DataPath, postfix.Port, new FakeTimeProvider(DateTimeOffset.UtcNow))
        {
            Settings = { ["Smtp:Security"] = "StartTls" },
        };
        var api = app.CreateApiClient();
        var email = _data.Email("tls");
        await ImportAsync(api, $"email,first_name\n{email},Tess\n");
        await api.PostAsJsonAsync("/api/events", new { name = "sale", email });

        var report = await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.True(report.RelayUnreachable);
        Assert.Equal(0, report.Sent);
        var entry = app.Get<IOutboxStore>().ForSubscriber(app.Get<ISubscriberStore>().FindByEmail(email)!.Id).Single(e => e.LetterId == "thank-you");
        Assert.Equal(OutboxState.Due, entry.State);
        Assert.Equal(0, entry.Attempts);
        Assert.Contains("STARTTLS", entry.LastError, StringComparison.OrdinalIgnoreCase);
        await Task.Delay(300);
        Assert.Empty(postfix.ReceivedFor(_data.Domain));
    }

    private static async Task ImportAsync(HttpClient api, string csv)
    {
        var response = await api.PostAsync("/api/subscribers/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"errors\":[]", body);
    }

    public void Dispose() => _data.Dispose();
}
