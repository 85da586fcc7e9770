using Drip.Changes;
using Drip.Engagement;
using System.Globalization;
using Drip.Cadence;
using Drip.Delivery;
using Drip.Events;
using Drip.Feedback;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Rendering;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Drip.Simulation;

/// <summary>What to simulate: from which Monday, for how long, how many people, and the seed that makes it repeatable.</summary>
public sealed record SimulationSettings(DateOnly Start, int Weeks, int Subscribers, int Seed);

/// <summary>One letter the simulation sent.</summary>
public sealed record SimulatedSend(Guid SubscriberId, string Email, string TimeZone, string Source, string Program,
    string LetterId, string Kind, DateTimeOffset LocalTime, DateTimeOffset UtcTime);

/// <summary>
/// Runs the real planners and the real dispatcher on a simulated clock over synthetic subscribers in an
/// in-memory store, with a transport that only counts: 15-minute ticks, people joining over time in
/// zones around the world, random sales starting the shipped sequences, and the date letters. The same
/// seed gives the same rows.
/// </summary>
public sealed class Simulator(TemplateLibrary library, FrequencyCaps caps, PlanningOptions planning, RenderLimits limits)
{
    private static readonly string[] Zones =
    [
        "Europe/London", "Europe/Berlin", "Europe/Moscow", "Asia/Yekaterinburg", "Asia/Kolkata", "Asia/Kathmandu",
        "Asia/Tokyo", "Australia/Adelaide", "Pacific/Auckland", "Pacific/Kiritimati", "Pacific/Pago_Pago",
        "Pacific/Honolulu", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York",
        "America/St_Johns", "America/Sao_Paulo", "Africa/Lagos", "UTC",
    ];

    private static readonly string[] Names = ["Ada", "Grace", "Anna", "Oleg", "Kenji", "Maria", "Tom", "Lena", "Sam", "Ines"];

    public async Task<IReadOnlyList<SimulatedSend>> RunAsync(SimulationSettings settings, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var random = new Random(settings.Seed);
        var start = new DateTimeOffset(settings.Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(7 * settings.Weeks);
        var clock = new SimulatedClock(start);

        using var db = new DripDatabase(new MemoryStream());
        var subscribers = new LiteSubscriberStore(db);
        var outbox = new LiteOutboxStore(db);
        var history = new LiteHistoryStore(db);
        var events = new LiteEventStore(db);
        var cadence = new CadencePlanner(library, caps, planning);
        // What is written when does not change what is decided, so the simulation writes half a day ahead
        // and plans every six hours: the same letters as hourly passes, at a fraction of the work.
        var simulatedCaps = new FrequencyCaps
        {
            MaxPerDay = caps.MaxPerDay, MaxPerWeek = caps.MaxPerWeek, MinGap = caps.MinGap, Horizon = caps.Horizon,
            PlanEvery = TimeSpan.FromHours(6), WriteAhead = caps.WriteAhead > TimeSpan.FromHours(12) ? caps.WriteAhead : TimeSpan.FromHours(12),
        };
        var pass = new PlanningPass(subscribers, outbox, cadence, new Pauses(subscribers, outbox, history, clock), simulatedCaps, clock);
        var sequences = new SequencePlanner(events, outbox, subscribers, library, cadence, clock, NullLogger<SequencePlanner>.Instance);
        var recorder = new EventRecorder(events, subscribers, history, sequences, clock);
        var sender = new SenderOptions { Name = "Example Shop", Address = "news@example.test", PostalAddress = "12 Garden Street" };
        var publicOptions = new PublicOptions { BaseUrl = "https://drip.example.test" };
        var key = new byte[32];
        random.NextBytes(key);
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["sim"] = key }, "sim");
        var links = new UnsubscribeLinks(signer, publicOptions, sender);
        var suppressions = new LiteSuppressionStore(db);
        var stats = new LiteLetterStatsStore(db, clock);
        using var commits = new GroupCommit(new LiteChangeWriter(db, clock));
        var bounces = new BounceHandler(history, new Unsubscriber(subscribers, commits, clock), stats, new BounceOptions(), clock,
            NullLogger<BounceHandler>.Instance);
        using var dispatcher = new Dispatcher(outbox, subscribers, new OutcomeJournal(null, commits, outbox, clock), suppressions, bounces, stats, new LinkTracker(signer, publicOptions, new TrackingOptions()), library, new LetterRenderer(library, limits),
            new MessageBuilder(sender, links, new VerpAddress(signer, sender), clock, LetterSigner.Disabled), links, new CountingTransport(), sender, publicOptions,
            new DispatchOptions(), db.Changes, clock, NullLogger<Dispatcher>.Instance);

        var people = Enumerable.Range(0, settings.Subscribers).Select(i => Synthesize(i, random, start, end)).OrderBy(p => p.Joined).ToList();
        var sales = people.Where(_ => random.NextDouble() < 0.3)
            .Select(p => (At: Later(p.Joined, start) + (end - Later(p.Joined, start)) * random.NextDouble(), p.Subscriber.Email, Id: Guid(random)))
            .Where(s => s.At < end).OrderBy(s => s.At).ToList();

        // The clock jumps from one moment that matters to the next — a join, a sale, a planning pass, or
        // the next send falling due — so every letter goes out exactly when it is due.
        int joined = 0, sold = 0;
        var nextPass = start;
        var passEvery = simulatedCaps.WriteAhead / 2;
        while (clock.Now < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (joined < people.Count && people[joined].Joined <= clock.Now)
            {
                subscribers.Save([people[joined].Subscriber]);
                pass.Run(people[joined].Subscriber.Id);
                joined++;
            }
            while (sold < sales.Count && sales[sold].At <= clock.Now)
            {
                recorder.Record("sale", sales[sold].Email, sales[sold].At, id: sales[sold].Id);
                sold++;
            }
            if (clock.Now >= nextPass)
            {
                pass.Run();
                nextPass += passEvery;
            }
            await dispatcher.DispatchDueAsync(cancellationToken);
            progress?.Report((clock.Now - start) / (end - start));

            var next = nextPass;
            if (joined < people.Count && people[joined].Joined < next)
            {
                next = people[joined].Joined;
            }
            if (sold < sales.Count && sales[sold].At < next)
            {
                next = sales[sold].At;
            }
            if (outbox.NextReadyAt() is { } due && due > clock.Now && due < next)
            {
                next = due;
            }
            clock.Now = next > clock.Now ? next : clock.Now.AddMinutes(1);
        }
        progress?.Report(1);

        var byId = people.ToDictionary(p => p.Subscriber.Id, p => p.Subscriber);
        return outbox.Sent()
            .Select(e =>
            {
                var s = byId[e.SubscriberId];
                var zone = planning.TimeZoneFor(s.TimeZone);
                var at = e.SentAt ?? e.DueAt;
                var parts = e.Source.Split(':', 2);
                return new SimulatedSend(s.Id, s.Email, zone.Id, parts[0], parts[1], e.LetterId,
                    library.FindLetter(e.LetterId)?.Kind ?? "", TimeZoneInfo.ConvertTime(at, zone), at.ToUniversalTime());
            })
            .OrderBy(r => r.UtcTime).ThenBy(r => r.Email, StringComparer.Ordinal).ThenBy(r => r.LetterId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Writes the rows with exactly the columns the simulate verb promises.</summary>
    public static void WriteCsv(TextWriter writer, IEnumerable<SimulatedSend> rows)
    {
        writer.Write("subscriber_id,email,time_zone,source,program,letter,kind,local_time,utc_time\n");
        foreach (var r in rows)
        {
            writer.Write(string.Join(',',
                r.SubscriberId.ToString("D"), r.Email, r.TimeZone, r.Source, r.Program, r.LetterId, r.Kind,
                r.LocalTime.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                r.UtcTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
            writer.Write('\n');
        }
    }

    private static (Subscriber Subscriber, DateTimeOffset Joined) Synthesize(int i, Random random, DateTimeOffset start, DateTimeOffset end)
    {
        // Four in ten are on the list already; the rest join while the simulation runs.
        var joined = random.NextDouble() < 0.4
            ? start.AddDays(-random.Next(1, 400))
            : start + (end - start) * random.NextDouble();
        joined = new DateTimeOffset(joined.UtcTicks - joined.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var birthday = new DateOnly(1950, 1, 1).AddDays(random.Next(0, 365 * 55));
        fields["birthday"] = birthday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (random.NextDouble() < 0.5)
        {
            fields["purchase_date"] = new DateOnly(2018, 1, 1).AddDays(random.Next(0, 365 * 7)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        if (random.NextDouble() < 0.3)
        {
            fields["womens_day"] = "yes";
        }
        var email = $"subscriber{i:D6}@example.test";
        var subscriber = new Subscriber
        {
            Id = Guid(random), Email = email, EmailKey = email, FirstName = Names[random.Next(Names.Length)],
            TimeZone = Zones[random.Next(Zones.Length)], Locale = "en", CreatedAt = joined, UpdatedAt = joined,
            ConsentAt = joined, ConsentSource = "simulation", Fields = fields,
        };
        return (subscriber, joined);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static Guid Guid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>Accepts every message and keeps nothing: the outbox records what was sent.</summary>
    private sealed class CountingTransport : ILetterTransport
    {
        public int Connections => 2;

        public ITransportSession OpenSession() => new Session();

        private sealed class Session : ITransportSession
        {
            public SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken) =>
                SendOutcome.Delivered;

            public void Dispose()
            {
            }
        }
    }
}
