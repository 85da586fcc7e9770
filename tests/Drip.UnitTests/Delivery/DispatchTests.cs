using Drip.Changes;
using Drip.Engagement;
using Drip.Feedback;
using System.Collections.Concurrent;
using Drip.Delivery;
using Drip.History;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.UnitTests.Delivery;

public sealed class DispatchTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly TemplateFolder _templates = new();
    private readonly ScriptedTransport _transport = new();
    private readonly LiteSubscriberStore _subscribers;
    private readonly LiteOutboxStore _outbox;
    private readonly LiteHistoryStore _history;
    private readonly Dispatcher _dispatcher;
    private readonly LiteSuppressionStore _suppressions;
    private readonly Unsubscriber _unsubscriber;

    public DispatchTests()
    {
        _subscribers = new LiteSubscriberStore(_db);
        _outbox = new LiteOutboxStore(_db);
        _history = new LiteHistoryStore(_db);
        _templates.Letter("news", "{{ greeting }}\n\n{{ if subscriber.first_name == 'Boom' }}{{ nosuch_function 1 }}{{ end }}Body", "{{ name_or 'Hi' }}, news");
        var library = _templates.Load();
        var sender = new SenderOptions { Name = "Shop", Address = "news@example.com", PostalAddress = "12 Garden Street" };
        var publicOptions = new PublicOptions { BaseUrl = "https://drip.example" };
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k"] = new byte[32] }, "k");
        var links = new UnsubscribeLinks(signer, publicOptions, sender);
        _suppressions = new LiteSuppressionStore(_db);
        var stats = new LiteLetterStatsStore(_db, _clock);
        _unsubscriber = new Unsubscriber(_subscribers, new GroupCommit(new LiteChangeWriter(_db, _clock)), _clock);
        var bounces = new BounceHandler(_history, _unsubscriber, stats, new BounceOptions(), _clock,
            NullLogger<BounceHandler>.Instance);
        _newDispatcher = options => new Dispatcher(_outbox, _subscribers, new OutcomeJournal(null, new GroupCommit(_writers(new LiteChangeWriter(_db, _clock))), _outbox, _clock), _suppressions, bounces, stats, new LinkTracker(signer, publicOptions, new TrackingOptions()), library, new LetterRenderer(library, new RenderLimits()),
            new MessageBuilder(sender, links, new VerpAddress(signer, sender), _clock, LetterSigner.Disabled), links, _transport, sender, publicOptions, options, _db.Changes, _clock,
            NullLogger<Dispatcher>.Instance);
        _dispatcher = _newDispatcher(new DispatchOptions());
    }

    private readonly Func<DispatchOptions, Dispatcher> _newDispatcher;

    // What a dispatcher made by _newDispatcher stores its outcomes through, around the store's own writer.
    private Func<IChangeWriter, IChangeWriter> _writers = writer => writer;

    private Subscriber Add(string email, string first = "Ada", SubscriberStatus status = SubscriberStatus.Active)
    {
        var s = new Subscriber { Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = first, Status = status };
        _subscribers.Save([s]);
        return s;
    }

    private OutboxEntry Queue(Subscriber s, DateTimeOffset? due = null)
    {
        var entry = OutboxEntry.Create($"test:{s.Id:N}", s.Id, "news", "campaign:test", due ?? _clock.GetUtcNow(), false, _clock.GetUtcNow());
        _outbox.Enqueue([entry]);
        return entry;
    }

    private Task<DispatchReport> Dispatch() => _dispatcher.DispatchDueAsync(CancellationToken.None);

    [Fact]
    public async Task A_due_letter_is_sent_once_with_its_stable_message_id_and_one_click_headers()
    {
        var ada = Add("ada@example.org");
        var entry = Queue(ada);

        Assert.Equal(1, (await Dispatch()).Sent);
        Assert.Equal(0, (await Dispatch()).Sent);

        var message = Assert.Single(_transport.Sent);
        Assert.Equal("Ada, news", message.Subject);
        Assert.Equal(IdempotencyKey.MessageId(entry.Id, "example.com"), message.MessageId);
        Assert.StartsWith("<https://drip.example/u/", message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);
        Assert.IsType<MultipartAlternative>(message.Body);
        var stored = _outbox.Find(entry.Id)!;
        Assert.Equal((OutboxState.Sent, 1), (stored.State, stored.Attempts));
        Assert.Equal(_clock.GetUtcNow(), stored.SentAt);
        Assert.Equal("Ada, news", stored.Subject);
        // The send is the record of the letter: the timeline shows it with its subject, and no line was written beside it.
        Assert.DoesNotContain(_history.ForSubscriber(ada.Id), h => h.OutboxId == entry.Id);
        var timeline = new SubscriberTimeline(_history, _outbox, new LiteEventStore(_db)).For(ada.Id);
        Assert.Contains(timeline, i => i is { Kind: "letter-sent", Detail: "news: Ada, news", LetterId: "news" } && i.At == _clock.GetUtcNow());
    }

    [Fact]
    public async Task Temporary_refusals_are_retried_on_the_backoff_schedule_then_given_up()
    {
        var soft = Add("soft@example.org");
        var entry = Queue(soft);
        _transport.Script("soft@example.org", Enumerable.Repeat(new SendOutcome(SendResult.Transient, 451, "451 4.7.1 try later"), 10));

        Assert.Equal(1, (await Dispatch()).Deferred);
        var deferred = _outbox.Find(entry.Id)!;
        Assert.Equal((OutboxState.Deferred, 1, 451), (deferred.State, deferred.Attempts, deferred.SmtpStatus));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(1), deferred.DueAt);

        foreach (var delay in DispatchOptions.DefaultRetryDelays)
        {
            _clock.Advance(delay);
            await Dispatch();
        }
        var failed = _outbox.Find(entry.Id)!;
        Assert.Equal(OutboxState.Failed, failed.State);
        Assert.Equal(DispatchOptions.DefaultRetryDelays.Count + 1, failed.Attempts);
        Assert.Contains("451", failed.LastError);
        Assert.Equal(DispatchOptions.DefaultRetryDelays.Count + 1, _transport.Attempts("soft@example.org"));
    }

    [Fact]
    public async Task A_refused_mailbox_bounces_the_letter_and_the_subscriber()
    {
        var gone = Add("gone@example.org");
        var entry = Queue(gone);
        _transport.Script("gone@example.org", [new SendOutcome(SendResult.Permanent, 550, "550 5.1.1 User unknown") { IsRecipientRefusal = true }]);

        Assert.Equal(1, (await Dispatch()).Bounced);
        Assert.Equal((OutboxState.Bounced, 550), (_outbox.Find(entry.Id)!.State, _outbox.Find(entry.Id)!.SmtpStatus));
        Assert.Equal(SubscriberStatus.Bounced, _subscribers.Find(gone.Id)!.Status);
    }

    [Fact]
    public async Task Unsubscribed_people_get_nothing()
    {
        var left = Add("left@example.org", status: SubscriberStatus.Unsubscribed);
        var entry = Queue(left);

        Assert.Equal(1, (await Dispatch()).Skipped);
        Assert.Empty(_transport.Sent);
        Assert.Equal(OutboxState.Skipped, _outbox.Find(entry.Id)!.State);
    }

    [Fact]
    public async Task Changes_stored_while_a_batch_goes_out_stop_every_letter_whose_turn_comes_after_them()
    {
        // The batch's recipients are read once, before the first letter; these changes come after that read.
        var readers = Enumerable.Range(0, 40).Select(i => Add($"r{i}@example.org")).ToList();
        foreach (var reader in readers)
        {
            Queue(reader);
        }
        var later = readers.Skip(4).ToList();
        var leaving = later.Where((_, i) => i % 3 == 0).ToList();
        var suppressed = later.Where((_, i) => i % 3 == 1).ToList();
        var erased = later.Where((_, i) => i % 3 == 2).Take(4).ToList();
        var changed = false;
        var gate = new Lock();
        _transport.BeforeAnswer = () =>
        {
            // The other connection waits here while the changes are stored, as if they were stored at one instant: so at
            // most the one letter each connection had already checked may still go (on a busy machine the other
            // connection otherwise checked several people before the loop below had reached them, and sent rightly).
            lock (gate)
            {
                if (changed)
                {
                    return;
                }
                changed = true;
                Change();
            }
        };
        void Change()
        {
            foreach (var s in leaving)
            {
                _unsubscriber.Unsubscribe(s.Id, "unsubscribe page");
            }
            foreach (var s in suppressed)
            {
                _suppressions.Add(new Suppression { Id = Suppression.HashOf(s.Email), Reason = SuppressionReason.Complaint, At = _clock.GetUtcNow() });
            }
            foreach (var s in erased)
            {
                _subscribers.Delete(s.Id);
            }
        }

        var report = await Dispatch();

        var stopped = leaving.Concat(suppressed).Concat(erased).Select(s => s.Email).ToHashSet();
        var sent = _transport.Sent.Select(m => m.To.Mailboxes.Single().Address).ToList();
        // Only letters already past their check when the changes were stored may go: one per connection.
        Assert.InRange(sent.Count(stopped.Contains), 0, _transport.Connections);
        Assert.Equal(40 - stopped.Count, sent.Count(e => !stopped.Contains(e)));
        Assert.Equal(sent.Count, report.Sent);
        Assert.Equal(40 - sent.Count, report.Skipped);
    }

    [Fact]
    public async Task One_subscribers_render_failure_defers_only_their_letter()
    {
        var boom = Add("boom@example.org", "Boom");
        var others = Enumerable.Range(0, 5).Select(i => Add($"ok{i}@example.org", $"Ok{i}")).ToList();
        var boomEntry = Queue(boom);
        others.ForEach(o => Queue(o));

        var report = await Dispatch();

        Assert.Equal((5, 1), (report.Sent, report.Deferred));
        var deferred = _outbox.Find(boomEntry.Id)!;
        Assert.Equal(OutboxState.Deferred, deferred.State);
        Assert.StartsWith("render: templates/letters/news.md:", deferred.LastError);
    }

    [Fact]
    public async Task An_unreachable_relay_costs_no_attempt_and_stops_the_pass()
    {
        var a = Queue(Add("a@example.org"));
        var b = Queue(Add("b@example.org"));
        _transport.Down = true;

        var report = await Dispatch();

        Assert.True(report.RelayUnreachable);
        foreach (var id in new[] { a.Id, b.Id })
        {
            var entry = _outbox.Find(id)!;
            Assert.Equal((OutboxState.Due, 0), (entry.State, entry.Attempts));
            Assert.Equal(_clock.GetUtcNow().AddSeconds(30), entry.ReadyAt);
        }
        _transport.Down = false;
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, (await Dispatch()).Sent);
    }

    [Fact]
    public async Task A_letter_planned_for_later_waits_for_its_time()
    {
        Queue(Add("later@example.org"), _clock.GetUtcNow().AddHours(3));

        Assert.Equal(0, (await Dispatch()).Sent);
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(1, (await Dispatch()).Sent);
    }

    [Fact]
    public async Task Sends_left_claimed_by_a_previous_run_go_out_on_the_first_pass()
    {
        var entry = Queue(Add("orphan@example.org"));
        _outbox.ClaimDue(_clock.GetUtcNow(), 10, _clock.GetUtcNow().AddHours(1)); // as if a crashed process held it

        Assert.Equal(1, (await Dispatch()).Sent);
        Assert.Equal(OutboxState.Sent, _outbox.Find(entry.Id)!.State);
    }

    [Fact]
    public async Task Batches_overlap_yet_each_letter_goes_once_and_every_outcome_is_stored_when_the_pass_returns()
    {
        // Batches of three: while one goes out the next is claimed, and the one before is stored.
        using var dispatcher = _newDispatcher(new DispatchOptions { BatchSize = 3 });
        var entries = Enumerable.Range(0, 10).Select(i => Queue(Add($"reader{i}@example.org"))).ToList();

        var report = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.Equal(10, report.Sent);
        Assert.Equal(10, _transport.Sent.Count);
        Assert.Equal(10, _transport.Sent.Select(m => m.To.Mailboxes.Single().Address).Distinct().Count());
        Assert.All(entries, e => Assert.Equal(OutboxState.Sent, _outbox.Find(e.Id)!.State));
        Assert.All(entries, e => Assert.NotNull(_outbox.Find(e.Id)!.Subject));
        Assert.Equal(0, _db.Changes.Held); // no batch is still watching for changes
    }

    [Fact]
    public async Task An_unreachable_relay_gives_back_the_batch_claimed_ahead_as_well()
    {
        // Two batches: the first finds the relay down while the second is claimed behind it.
        using var dispatcher = _newDispatcher(new DispatchOptions { BatchSize = 2 });
        var entries = Enumerable.Range(0, 4).Select(i => Queue(Add($"reader{i}@example.org"))).ToList();
        _transport.Down = true;

        var report = await dispatcher.DispatchDueAsync(CancellationToken.None);

        Assert.True(report.RelayUnreachable);
        foreach (var entry in entries.Select(e => _outbox.Find(e.Id)!))
        {
            Assert.Equal((OutboxState.Due, 0), (entry.State, entry.Attempts));
            Assert.Equal(_clock.GetUtcNow().AddSeconds(30), entry.ReadyAt);
        }
    }

    [Fact]
    public async Task Stopping_mid_batch_gives_back_what_was_not_sent_including_the_batch_claimed_ahead()
    {
        using var dispatcher = _newDispatcher(new DispatchOptions { BatchSize = 3 });
        var entries = Enumerable.Range(0, 9).Select(i => Queue(Add($"reader{i}@example.org"))).ToList();
        using var stop = new CancellationTokenSource();
        _transport.BeforeAnswer = () => stop.Cancel(); // the first letter's answer comes after the stop

        var report = await dispatcher.DispatchDueAsync(stop.Token);

        var stored = entries.Select(e => _outbox.Find(e.Id)!).ToList();
        Assert.InRange(report.Sent, 1, 2); // the letters in flight on the two connections finish
        Assert.Equal(report.Sent, stored.Count(e => e.State == OutboxState.Sent));
        Assert.All(stored.Where(e => e.State != OutboxState.Sent), e => Assert.Equal((OutboxState.Due, _clock.GetUtcNow()), (e.State, e.ReadyAt)));
    }

    [Fact]
    public async Task The_next_batch_is_claimed_only_once_the_batch_before_is_stored()
    {
        // Held sends are still due in the store, and claiming reads past each of them. Claimed beside the store of the
        // batch before, a claim also read past that batch: three batches held while it is stored instead of two.
        var heldWhileStoring = new ConcurrentQueue<int>();
        _writers = writer => new SlowWriter(writer, () => heldWhileStoring.Enqueue(_db.Claims.Count));
        using var dispatcher = _newDispatcher(new DispatchOptions { BatchSize = 2 });
        for (var i = 0; i < 10; i++)
        {
            Queue(Add($"reader{i}@example.org"));
        }

        Assert.Equal(10, (await dispatcher.DispatchDueAsync(CancellationToken.None)).Sent);

        Assert.NotEmpty(heldWhileStoring);
        Assert.All(heldWhileStoring, held => Assert.InRange(held, 0, 4)); // the batch being stored, the one that went out
    }

    /// <summary>A store that takes its time, and says what it sees before it writes.</summary>
    private sealed class SlowWriter(IChangeWriter store, Action beforeWriting) : IChangeWriter
    {
        public void Write(ChangeSet changes)
        {
            Thread.Sleep(100); // long enough for anything running beside the store to be done
            beforeWriting();
            store.Write(changes);
        }
    }

    [Fact]
    public async Task Each_message_is_released_once_its_letter_is_answered()
    {
        // MimeKit's messages and parts have finalizers: one not disposed outlives the next collection, with its whole letter.
        var people = Enumerable.Range(0, 3).Select(i => Add($"p{i}@example.org")).ToList();
        people.ForEach(p => Queue(p));
        _transport.Script("p1@example.org", [new SendOutcome(SendResult.Permanent, 550, "550 no such user")]);

        await Dispatch();

        Assert.Equal(3, _transport.Given.Count);
        Assert.All(_transport.Given, m => Assert.Throws<ObjectDisposedException>(() => m.Body!.ContentDisposition));
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        _db.Dispose();
        _templates.Dispose();
    }

    /// <summary>A transport that answers from a script per recipient (default: accepted) and keeps what it was given.</summary>
    private sealed class ScriptedTransport : ILetterTransport
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<SendOutcome>> _scripts = new();
        private readonly ConcurrentDictionary<string, int> _attempts = new();

        public ConcurrentQueue<MimeMessage> Sent { get; } = new();

        /// <summary>The message objects the dispatcher handed over, as they are (to see what becomes of them after).</summary>
        public ConcurrentQueue<MimeMessage> Given { get; } = new();

        public bool Down { get; set; }

        /// <summary>Runs before each letter is answered, while it is in flight.</summary>
        public Action? BeforeAnswer { get; set; }

        public int Connections => 2;

        public void Script(string email, IEnumerable<SendOutcome> outcomes) => _scripts[email] = new ConcurrentQueue<SendOutcome>(outcomes);

        public int Attempts(string email) => _attempts.GetValueOrDefault(email);

        public ITransportSession OpenSession() => new Session(this);

        private sealed class Session(ScriptedTransport transport) : ITransportSession
        {
            public SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken)
            {
                if (transport.Down)
                {
                    return new SendOutcome(SendResult.Unreachable, null, "connection refused");
                }
                transport.BeforeAnswer?.Invoke();
                transport.Given.Enqueue(message);
                transport._attempts.AddOrUpdate(recipient.Address, 1, (_, n) => n + 1);
                if (transport._scripts.TryGetValue(recipient.Address, out var script) && script.TryDequeue(out var outcome))
                {
                    return outcome;
                }
                // Kept as a receiver reads it: parsed from the bytes that would have gone on the wire.
                transport.Sent.Enqueue(LetterFixture.Reload(LetterFixture.Bytes(message)));
                return SendOutcome.Delivered;
            }

            public void Dispose()
            {
            }
        }
    }
}
