using System.Text;
using System.Text.RegularExpressions;
using Drip.Changes;
using Drip.Delivery;
using Drip.Feedback;
using Drip.History;
using Drip.Inbound;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.UnitTests.Inbound;

/// <summary>Reports and replies from the inbound mailbox change the right subscriber, and forged ones change nothing.</summary>
public sealed partial class InboundProcessorTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly LiteSubscriberStore _subscribers;
    private readonly LiteSuppressionStore _suppressions;
    private readonly LiteHistoryStore _history;
    private readonly LiteLetterStatsStore _stats;
    private readonly VerpAddress _verp;
    private readonly InboundProcessor _processor;
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-inbound-").FullName;

    public InboundProcessorTests()
    {
        _subscribers = new LiteSubscriberStore(_db);
        _suppressions = new LiteSuppressionStore(_db);
        _history = new LiteHistoryStore(_db);
        _stats = new LiteLetterStatsStore(_db, _clock);
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k1"] = Enumerable.Repeat((byte)7, 32).ToArray() }, "k1");
        var sender = new SenderOptions
        {
            Name = "Drip Weekly", Address = "hello@news.example.test", PostalAddress = "1 Mill Lane",
            BounceAddress = "bounces@news.example.test", UnsubscribeAddress = "unsubscribe@news.example.test",
        };
        _verp = new VerpAddress(signer, sender);
        var unsubscriber = new Unsubscriber(_subscribers, new GroupCommit(new LiteChangeWriter(_db, _clock)), _clock);
        var bounces = new BounceHandler(_history, unsubscriber, _stats, new BounceOptions(), _clock, NullLogger<BounceHandler>.Instance);
        _processor = new InboundProcessor(new FolderMailbox(_folder), _subscribers, bounces, unsubscriber, _verp, signer, sender, NullLogger<InboundProcessor>.Instance);
    }

    private Subscriber Add(string email)
    {
        var s = new Subscriber { Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = "Reader", CreatedAt = _clock.GetUtcNow() };
        _subscribers.Save([s]);
        return s;
    }

    /// <summary>A fixture with its placeholder VERP token replaced by one Drip signed for <paramref name="subscriber"/> (or left as it is).</summary>
    private MimeMessage Fixture(string name, Subscriber? subscriber = null, Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Inbound", "Fixtures", name));
        if (subscriber is not null)
        {
            text = VerpPlaceholder().Replace(text, _verp.For(subscriber.Id).Address);
        }
        text = edit?.Invoke(text) ?? text;
        return MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));
    }

    private Subscriber Reload(Subscriber s) => _subscribers.Find(s.Id)!;

    [Fact]
    public void A_hard_bounce_with_our_VERP_token_suppresses_that_subscriber()
    {
        var frank = Add("frank@example.org");

        Assert.Equal([InboundOutcome.HardBounce], _processor.Handle(Fixture("gmail-dsn-failure.eml", frank)));

        Assert.Equal(SubscriberStatus.Bounced, Reload(frank).Status);
        Assert.Equal(SuppressionReason.HardBounce, _suppressions.Find("Frank@Example.org")!.Reason);
        Assert.Contains(_history.ForSubscriber(frank.Id), h => h.Kind == HistoryKind.Bounced && h.Detail.Contains("5.1.1"));
    }

    [Fact]
    public void A_report_with_a_token_we_did_not_sign_changes_nothing_even_when_it_names_a_subscriber()
    {
        var frank = Add("frank@example.org");

        Assert.Equal([InboundOutcome.Ignored], _processor.Handle(Fixture("gmail-dsn-failure.eml")));

        Assert.Equal(SubscriberStatus.Active, Reload(frank).Status);
        Assert.Null(_suppressions.Find(frank.Email));
        Assert.Empty(_history.ForSubscriber(frank.Id));
    }

    [Fact]
    public void A_tampered_token_is_refused()
    {
        var frank = Add("frank@example.org");
        var real = _verp.For(frank.Id).Address;
        var at = real.IndexOf('@', StringComparison.Ordinal);
        var tampered = real[..(at - 3)] + (real[at - 3] == 'A' ? 'B' : 'A') + real[(at - 2)..]; // one character of the MAC

        Assert.Equal([InboundOutcome.Ignored], _processor.Handle(Fixture("gmail-dsn-failure.eml", edit: t => VerpPlaceholder().Replace(t, tampered))));
        Assert.Equal(SubscriberStatus.Active, Reload(frank).Status);
    }

    [Fact]
    public void A_mangled_report_without_a_token_falls_back_to_the_failed_address()
    {
        var kim = Add("kim@example.org");

        var outcome = _processor.Handle(Fixture("mangled-dsn-no-status-part.eml", edit: t => VerpPlaceholder().Replace(t, "bounces@news.example.test")));

        Assert.Equal([InboundOutcome.HardBounce], outcome);
        Assert.Equal(SubscriberStatus.Bounced, Reload(kim).Status);
    }

    [Fact]
    public void Soft_bounces_accumulate_and_suppress_at_the_third_within_the_window()
    {
        var ivan = Add("ivan@example.org");
        Assert.Equal([InboundOutcome.SoftBounce], _processor.Handle(Fixture("postfix-soft-bounce-mailbox-full.eml", ivan)));
        _clock.Advance(TimeSpan.FromDays(5));
        _processor.Handle(Fixture("postfix-soft-bounce-mailbox-full.eml", ivan));
        Assert.Equal(SubscriberStatus.Active, Reload(ivan).Status);
        Assert.Equal(2, _history.ForSubscriber(ivan.Id).Count(h => h.Kind == HistoryKind.SoftBounce));

        _clock.Advance(TimeSpan.FromDays(5));
        _processor.Handle(Fixture("postfix-soft-bounce-mailbox-full.eml", ivan));

        Assert.Equal(SubscriberStatus.Bounced, Reload(ivan).Status);
        Assert.Equal(SuppressionReason.SoftBounces, _suppressions.Find(ivan.Email)!.Reason);
    }

    [Fact]
    public void Soft_bounces_further_apart_than_the_window_do_not_suppress()
    {
        var ivan = Add("ivan@example.org");
        for (var i = 0; i < 4; i++)
        {
            _processor.Handle(Fixture("postfix-soft-bounce-mailbox-full.eml", ivan));
            _clock.Advance(TimeSpan.FromDays(8));
        }
        Assert.Equal(SubscriberStatus.Active, Reload(ivan).Status);
        Assert.Equal(4, _history.ForSubscriber(ivan.Id).Count(h => h.Kind == HistoryKind.SoftBounce));
    }

    [Fact]
    public void A_complaint_suppresses_and_is_counted_for_the_letter_named_by_its_Feedback_ID()
    {
        var judy = Add("judy@yahoo.example");
        var withFeedbackId = Fixture("yahoo-arf-abuse.eml", judy, t => t.Replace("From: Drip Weekly <hello@news.example.test>", "Feedback-ID: offer-linen-week:program:drip\nFrom: Drip Weekly <hello@news.example.test>"));

        Assert.Equal([InboundOutcome.Complaint], _processor.Handle(withFeedbackId));

        Assert.Equal(SubscriberStatus.Complained, Reload(judy).Status);
        Assert.Equal(SuppressionReason.Complaint, _suppressions.Find(judy.Email)!.Reason);
        Assert.Equal(1, _stats.Find("offer-linen-week")!.Complaints);
    }

    [Fact]
    public void A_complaint_with_the_recipient_redacted_is_tied_by_the_token()
    {
        var hidden = Add("hidden@example.org");
        Assert.Equal([InboundOutcome.Complaint], _processor.Handle(Fixture("arf-redacted-recipient.eml", hidden)));
        Assert.Equal(SubscriberStatus.Complained, Reload(hidden).Status);
    }

    [Fact]
    public void A_policy_refusal_keeps_the_address_and_a_delay_is_not_a_bounce()
    {
        var heidi = Add("heidi@gmail.example");
        var carol = Add("carol@example.org");

        Assert.Equal([InboundOutcome.PolicyBlock], _processor.Handle(Fixture("gmail-5726-unauthenticated.eml", heidi)));
        Assert.Equal([InboundOutcome.Delayed], _processor.Handle(Fixture("postfix-delayed.eml", carol)));

        Assert.Equal(SubscriberStatus.Active, Reload(heidi).Status);
        Assert.Null(_suppressions.Find(heidi.Email));
        Assert.Contains(_history.ForSubscriber(heidi.Id), h => h.Detail.Contains("policy"));
        Assert.Equal(SubscriberStatus.Active, Reload(carol).Status);
        Assert.Empty(_history.ForSubscriber(carol.Id));
    }

    [Fact]
    public void An_out_of_office_reply_changes_nothing()
    {
        var ada = Add("ada@example.org");
        Assert.Equal([InboundOutcome.Ignored], _processor.Handle(Fixture("out-of-office.eml", ada)));
        Assert.Equal(SubscriberStatus.Active, Reload(ada).Status);
    }

    [Theory]
    [InlineData("Re: Spring news", "STOP", true)]
    [InlineData("Re: Spring news", "Unsubscribe me please", true)]
    [InlineData("Re: Spring news", "отписаться", true)]
    [InlineData("Re: Весенние новости", "УДАЛИТЬ\n\nС уважением, Анна", true)]
    [InlineData("Re: delete", "", true)]
    [InlineData("Re: Spring news", "Please stop", true)]
    [InlineData("Re: Spring news", "Don't ever stop writing these, I read every one of them with my morning tea.", false)]
    [InlineData("Re: Spring news", "Lovely letter, thank you!\n\nOn Tuesday Drip Weekly wrote:\n> Unsubscribe at any time, in one click.", false)]
    [InlineData("Re: Spring news", "Thanks\n-----Original Message-----\nUNSUBSCRIBE", false)]
    public void A_reply_unsubscribes_only_when_its_own_words_ask_to(string subject, string body, bool leaves)
    {
        var ada = Add("ada@example.org");
        var reply = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        reply.From.Add(MailboxAddress.Parse("Ada <ada@example.org>"));
        reply.To.Add(MailboxAddress.Parse("hello@news.example.test"));

        _processor.Handle(reply);

        Assert.Equal(leaves ? SubscriberStatus.Unsubscribed : SubscriberStatus.Active, Reload(ada).Status);
    }

    [Fact]
    public async Task The_mailbox_folder_is_read_once_and_handled_mail_is_kept_beside_it()
    {
        var frank = Add("frank@example.org");
        Fixture("gmail-dsn-failure.eml", frank).WriteTo(Path.Combine(_folder, "1.eml"));

        Assert.Equal(1, await _processor.RunAsync(CancellationToken.None));
        Assert.Equal(0, await _processor.RunAsync(CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(_folder));
        Assert.Single(Directory.EnumerateFiles(_folder + "-handled"));
        Assert.Equal(SubscriberStatus.Bounced, Reload(frank).Status);
    }

    [GeneratedRegex(@"bounces\+[A-Za-z0-9_.-]+@news\.example\.test")]
    private static partial Regex VerpPlaceholder();

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
        if (Directory.Exists(_folder + "-handled"))
        {
            Directory.Delete(_folder + "-handled", recursive: true);
        }
    }
}
