using System.Collections.Concurrent;
using Drip.Changes;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Feedback;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Drip.UnitTests.Delivery;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.UnitTests.Lifecycle;

/// <summary>An in-memory store, a fake clock and the services of a subscriber's life, wired as in DispatchTests.</summary>
internal sealed class LifecycleWorld : IDisposable
{
    public LifecycleWorld()
    {
        Subscribers = new LiteSubscriberStore(Db);
        Outbox = new LiteOutboxStore(Db);
        History = new LiteHistoryStore(Db);
        Suppressions = new LiteSuppressionStore(Db);
        Events = new LiteEventStore(Db);
        Stats = new LiteLetterStatsStore(Db, Clock);
        Unsubscriber = new Unsubscriber(Subscribers, new GroupCommit(new LiteChangeWriter(Db, Clock)), Clock);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));

    public DripDatabase Db { get; } = new(new MemoryStream());

    public TokenSigner Signer { get; } = new(new Dictionary<string, byte[]> { ["k"] = Enumerable.Repeat((byte)7, 32).ToArray() }, "k");

    public PublicOptions Public { get; } = new() { BaseUrl = "https://drip.example" };

    public LiteSubscriberStore Subscribers { get; }

    public LiteOutboxStore Outbox { get; }

    public LiteHistoryStore History { get; }

    public LiteSuppressionStore Suppressions { get; }

    public LiteEventStore Events { get; }

    public LiteLetterStatsStore Stats { get; }

    public Unsubscriber Unsubscriber { get; }

    public RecordingTransport Transport { get; } = new();

    private Dispatcher? _dispatcher;
    private TemplateFolder? _templates;

    public Subscriber Add(string email, SubscriberStatus status = SubscriberStatus.Active, string first = "Ada")
    {
        var now = Clock.GetUtcNow();
        var s = new Subscriber
        {
            Id = Guid.NewGuid(), Email = email, EmailKey = EmailAddress.Key(email), FirstName = first, Status = status,
            CreatedAt = now, UpdatedAt = now, ConsentAt = now, ConsentSource = "test",
        };
        Subscribers.Save([s]);
        return s;
    }

    /// <summary>A dispatcher over this world with a "news" letter and the shipped confirmation letter.</summary>
    public Dispatcher Dispatcher()
    {
        if (_dispatcher is not null)
        {
            return _dispatcher;
        }
        _templates = new TemplateFolder()
            .Letter("news", "{{ greeting }}\n\nThe news.", "News")
            .Add("letters/confirm-subscription.md", File.ReadAllText(Path.Combine(TemplateFolder.Shipped, "letters", "confirm-subscription.md")));
        var library = _templates.Load();
        var sender = new SenderOptions { Name = "Shop", Address = "news@example.com", PostalAddress = "12 Garden Street" };
        var links = new UnsubscribeLinks(Signer, Public, sender);
        var bounces = new BounceHandler(History, Unsubscriber, Stats, new BounceOptions(), Clock, NullLogger<BounceHandler>.Instance);
        _dispatcher = new Dispatcher(Outbox, Subscribers, new OutcomeJournal(null, new GroupCommit(new LiteChangeWriter(Db, Clock)), Outbox, Clock), Suppressions, bounces, Stats, new LinkTracker(Signer, Public, new TrackingOptions()),
            library, new LetterRenderer(library, new RenderLimits()), new MessageBuilder(sender, links, new VerpAddress(Signer, sender), Clock, LetterSigner.Disabled),
            links, Transport, sender, Public, new DispatchOptions(), Db.Changes, Clock, NullLogger<Dispatcher>.Instance);
        return _dispatcher;
    }

    public Task<DispatchReport> DispatchAsync() => Dispatcher().DispatchDueAsync(CancellationToken.None);

    public void Dispose()
    {
        _dispatcher?.Dispose();
        Db.Dispose();
        _templates?.Dispose();
    }
}

/// <summary>A transport that accepts everything and keeps each message with its recipient.</summary>
internal sealed class RecordingTransport : ILetterTransport
{
    public ConcurrentQueue<(string To, MimeMessage Message)> Sent { get; } = new();

    public int Connections => 1;

    public ITransportSession OpenSession() => new Session(this);

    private sealed class Session(RecordingTransport transport) : ITransportSession
    {
        public SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            // Kept as a receiver reads it: parsed from the bytes that would have gone on the wire.
            transport.Sent.Enqueue((recipient.Address, LetterFixture.Reload(LetterFixture.Bytes(message))));
            return SendOutcome.Delivered;
        }

        public void Dispose()
        {
        }
    }
}
