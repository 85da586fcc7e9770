using Drip.Campaigns;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Smtp;

/// <summary>
/// A relay that misbehaves, played by <see cref="FaultySmtpProxy"/> in front of the real Postfix. Whatever it does, the
/// end state is the same: every due letter is sent once, deferred with a reason, or recorded as bounced — none lost.
/// </summary>
[Collection(PostfixGroup.Name)]
public sealed class SmtpFaultTests(PostfixFixture postfix) : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly TestData _data = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private FaultySmtpProxy _relay = null!;

    public Task InitializeAsync()
    {
        _relay = new FaultySmtpProxy(postfix.Port);
        return Task.CompletedTask;
    }

    private DripApplication App(Action<Dictionary<string, string?>>? settings = null)
    {
        var app = new DripApplication(_data.DataPath, _relay.Port, _clock);
        app.Settings["Dispatch:RetryDelays:0"] = "00:01:00";
        app.Settings["Dispatch:RetryDelays:1"] = "00:05:00";
        app.Settings["Dispatch:UnreachableRetry"] = "00:00:30";
        app.Settings["Smtp:CommandTimeout"] = "00:00:05";
        settings?.Invoke(app.Settings);
        return app;
    }

    /// <summary>Imports the readers and starts a campaign due now; returns their addresses.</summary>
    private List<string> Broadcast(DripApplication app, params string[] locals)
    {
        var emails = locals.Select(_data.Email).ToList();
        var report = app.Get<SubscriberImporter>().Import(new StringReader("email,first_name\n" + string.Concat(emails.Select(e => $"{e},Reader\n"))), "fault test");
        Assert.Empty(report.Errors);
        app.Get<CampaignEnqueuer>().Enqueue("spring-news", SubscriberFilter.Mailable, _clock.GetUtcNow(), "fault");
        return emails;
    }

    private static async Task<DispatchReport> DispatchAsync(DripApplication app) => await app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);

    private static List<OutboxEntry> Sends(DripApplication app) =>
        app.Get<ISubscriberStore>().Stream(new SubscriberFilter(null, new Dictionary<string, string>()))
            .SelectMany(s => app.Get<IOutboxStore>().ForSubscriber(s.Id)).ToList();

    /// <summary>
    /// Every letter is sent, bounced, deferred with the reason, or still due: back in the queue when the relay could not
    /// be used at all (that uses up no attempt; the letters tried carry the reason). None is left claimed, none is gone.
    /// </summary>
    private static void NothingLost(DripApplication app, int letters)
    {
        var sends = Sends(app);
        Assert.Equal(letters, sends.Count);
        Assert.All(sends, s => Assert.True(
            s.State is OutboxState.Sent or OutboxState.Bounced
                || (s.State == OutboxState.Deferred && !string.IsNullOrWhiteSpace(s.LastError))
                || s.State == OutboxState.Due,
            $"{s.Id} ended {s.State} ({s.LastError})"));
    }

    private async Task ArrivedOnceEachAsync(List<string> emails)
    {
        var received = await postfix.WaitForAsync(_data.Domain, emails.Count);
        await Task.Delay(300); // a repeat, if there were one, would land now
        var to = postfix.ReceivedFor(_data.Domain).Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(emails.Order(), to.Order());
    }

    [Fact]
    public async Task A_relay_that_is_down_at_start_and_for_minutes_gets_every_letter_once_it_comes_back()
    {
        await using var app = App();
        var emails = Broadcast(app, "a", "b", "c", "d", "e");

        for (var minute = 0; minute < 5; minute++)
        {
            var report = await DispatchAsync(app);
            Assert.Equal(0, report.Sent);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }
        NothingLost(app, emails.Count);
        Assert.All(Sends(app), s => Assert.Equal(0, s.Attempts)); // an unreachable relay uses up no attempts
        Assert.Contains(Sends(app), s => s.LastError?.Contains("Connection refused", StringComparison.Ordinal) == true);

        _relay.Start();
        var back = await DispatchAsync(app);

        Assert.Equal(emails.Count, back.Sent);
        await ArrivedOnceEachAsync(emails);
        Assert.All(Sends(app), s => Assert.Equal(OutboxState.Sent, s.State));
    }

    [Fact]
    public async Task A_421_greeting_defers_everything_and_the_letters_go_once_the_relay_accepts_again()
    {
        _relay.Start();
        _relay.RefuseWith421 = true;
        await using var app = App();
        var emails = Broadcast(app, "a", "b", "c");

        var refused = await DispatchAsync(app);
        Assert.Equal(0, refused.Sent);
        NothingLost(app, emails.Count);

        _relay.RefuseWith421 = false;
        _clock.Advance(TimeSpan.FromMinutes(2));
        var accepted = await DispatchAsync(app);

        Assert.Equal(emails.Count, accepted.Sent);
        await ArrivedOnceEachAsync(emails);
    }

    [Fact]
    public async Task Temporary_refusals_defer_those_recipients_with_the_reason_and_permanent_ones_bounce()
    {
        _relay.Start();
        _relay.RecipientReplies["tempfail-"] = "451 4.7.1 Try again later";
        _relay.RecipientReplies["greylisted-"] = "450 4.2.0 Greylisted, come back in a minute";
        _relay.RecipientReplies["nosuchuser-"] = "550 5.1.1 No such user here";
        await using var app = App();
        var emails = Broadcast(app, "ok1", "tempfail-x", "greylisted-y", "nosuchuser-z", "ok2");

        var first = await DispatchAsync(app);

        Assert.Equal(2, first.Sent);
        Assert.Equal(1, first.Bounced);
        NothingLost(app, emails.Count);
        var sends = Sends(app).ToDictionary(s => app.Get<ISubscriberStore>().Find(s.SubscriberId)!.Email);
        Assert.Equal(OutboxState.Deferred, sends[_data.Email("tempfail-x")].State);
        Assert.Contains("451", sends[_data.Email("tempfail-x")].LastError);
        Assert.Contains("450", sends[_data.Email("greylisted-y")].LastError);
        Assert.Equal(OutboxState.Bounced, sends[_data.Email("nosuchuser-z")].State);
        Assert.Equal(SubscriberStatus.Bounced, app.Get<ISubscriberStore>().FindByEmail(_data.Email("nosuchuser-z"))!.Status);

        _relay.RecipientReplies.Remove("tempfail-");
        _relay.RecipientReplies.Remove("greylisted-");
        _clock.Advance(TimeSpan.FromMinutes(2));
        var retry = await DispatchAsync(app);

        Assert.Equal(2, retry.Sent);
        await ArrivedOnceEachAsync(emails.Where(e => !e.Contains("nosuchuser", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public async Task A_connection_dropped_in_the_middle_of_data_defers_that_letter_and_it_arrives_once_later()
    {
        _relay.Start();
        _relay.DropNextData(1);
        await using var app = App(s => s["Smtp:Connections"] = "1");
        var emails = Broadcast(app, "a", "b", "c", "d");

        await DispatchAsync(app);
        NothingLost(app, emails.Count);
        var cut = Sends(app).Where(s => s.State == OutboxState.Deferred).ToList();
        Assert.NotEmpty(cut);
        Assert.All(cut, s => Assert.False(string.IsNullOrWhiteSpace(s.LastError)));

        _clock.Advance(TimeSpan.FromMinutes(2));
        await DispatchAsync(app);

        await ArrivedOnceEachAsync(emails);
        Assert.All(Sends(app), s => Assert.Equal(OutboxState.Sent, s.State));
    }

    [Fact]
    public async Task Slow_replies_within_the_command_timeout_still_deliver_and_slower_ones_defer_without_loss()
    {
        _relay.Start();
        _relay.ReplyDelay = TimeSpan.FromMilliseconds(300);
        await using (var patient = App())
        {
            var emails = Broadcast(patient, "slow1", "slow2");
            var report = await DispatchAsync(patient);
            Assert.Equal(2, report.Sent);
            await ArrivedOnceEachAsync(emails);
        }
    }

    [Fact]
    public async Task Replies_slower_than_the_command_timeout_defer_the_letters_with_a_reason()
    {
        _relay.Start();
        _relay.ReplyDelay = TimeSpan.FromSeconds(3);
        await using var app = App(s => s["Smtp:CommandTimeout"] = "00:00:01");
        var emails = Broadcast(app, "a", "b");

        var report = await DispatchAsync(app);

        Assert.Equal(0, report.Sent);
        NothingLost(app, emails.Count);
    }

    [Fact]
    public async Task Tls_required_but_not_offered_sends_nothing_in_clear_text_and_keeps_every_letter()
    {
        _relay.Start();
        _relay.HideStartTls = true;
        await using var app = App(s => s["Smtp:Security"] = "StartTls");
        var emails = Broadcast(app, "a", "b");

        var report = await DispatchAsync(app);

        Assert.Equal(0, report.Sent);
        NothingLost(app, emails.Count);
        Assert.Contains(Sends(app), s => s.LastError?.Contains("STARTTLS", StringComparison.Ordinal) == true);
        Assert.Empty(postfix.ReceivedFor(_data.Domain));
    }

    [Fact]
    public async Task The_relay_never_sees_more_connections_than_configured()
    {
        _relay.Start();
        _relay.ReplyDelay = TimeSpan.FromMilliseconds(20); // keep sessions busy so every worker wants its own
        await using var app = App(s => s["Smtp:Connections"] = "2");
        var emails = Broadcast(app, Enumerable.Range(0, 30).Select(i => $"r{i}").ToArray());

        var report = await DispatchAsync(app);

        Assert.Equal(emails.Count, report.Sent);
        Assert.InRange(_relay.Connections, 1, 2);
        Assert.InRange(_relay.MostAtOnce, 1, 2);
        await ArrivedOnceEachAsync(emails);
    }

    public async Task DisposeAsync() => await _relay.DisposeAsync();

    public void Dispose() => _data.Dispose();
}
