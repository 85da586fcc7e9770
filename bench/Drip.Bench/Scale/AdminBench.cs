using System.Diagnostics;
using Drip.Cadence;
using Drip.Engagement;
using Drip.Feedback;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Reporting;
using Drip.Simulation;
using Drip.Storage;
using Drip.Subscribers;

namespace Drip.Bench.Scale;

/// <summary>
/// The admin's queries over a LiteDB file of N subscribers (17% active, 3% fans, the rest passive; a few unsubscribed,
/// bounced or pending) and an outbox of one sent letter per subscriber plus a day of due ones: each subscriber search
/// the pages offer, and what one dashboard or <c>GET /api/stats</c> request computes. Each is run once to warm up, then
/// <c>samples</c> times; p50 and p95 are of those. The baseline is the cheapest read there is: one subscriber by id.
/// </summary>
internal static class AdminBench
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    /// <summary><paramref name="keep"/>: a database file to fill once and reuse in later runs (filling a million takes minutes).</summary>
    public static IReadOnlyList<BenchFigure> Run(TemplateLibrary library, int subscribers, int samples, string? keep)
    {
        var file = keep ?? BenchTable.TempFile("admin") + ".db";
        try
        {
            var filled = keep is not null && File.Exists(keep);
            // The list filters on city, so city is an indexed field (Storage:IndexedFields); birthday is not.
            using var db = new DripDatabase(file, ["city"]);
            var ids = filled ? db.Subscribers.Query().Select(s => s.Id).ToList() : Fill(db, subscribers);
            var clock = new SimulatedClock(Now);
            var store = new LiteSubscriberStore(db);
            var outbox = new LiteOutboxStore(db);
            var judge = new EngagementJudge(new EngagementOptions());
            var letterStats = new LiteLetterStatsStore(db, clock);
            foreach (var letter in filled ? [] : library.Letters)
            {
                letterStats.Add(letter.Id, Feedback.LetterMetric.Sent, 1000);
            }
            var trends = new ProgramTrends(letterStats, library, clock);
            var planning = new PlanningOptions();
            var plan = new PlanView(new CadencePlanner(library, new FrequencyCaps(), planning), outbox, store, library, planning, clock);
            var figures = new DashboardFigures(store, outbox, judge, plan, new DashboardOptions(), clock);

            var figuresOut = new List<BenchFigure>();
            var byId = Latencies(() => store.Find(ids[ids.Count / 2]) is null ? 0 : 1, samples * 5);
            var baseline = BenchTable.Percentile(byId, 0.95);
            figuresOut.Add(BenchFigure.Of("admin.baseline_find_by_id_p50_ms", BenchTable.Percentile(byId, 0.5), "ms"));
            figuresOut.Add(BenchFigure.Of("admin.baseline_find_by_id_p95_ms", baseline, "ms"));

            ids.Sort();
            var deep = ids[ids.Count * 9 / 10];
            (string Key, SubscriberQuery Query)[] searches =
            [
                ("search.first_page", new SubscriberQuery()),
                ("search.deep_page_cursor", new SubscriberQuery { After = deep }),
                ("search.status_unsubscribed", new SubscriberQuery { Status = SubscriberStatus.Unsubscribed }),
                ("search.status_active_deep", new SubscriberQuery { Status = SubscriberStatus.Active, After = deep }),
                ("search.engagement_fan", new SubscriberQuery { Engagement = judge.Window(EngagementLevel.Fan, Now) }),
                ("search.engagement_active", new SubscriberQuery { Engagement = judge.Window(EngagementLevel.Active, Now) }),
                ("search.engagement_passive", new SubscriberQuery { Engagement = judge.Window(EngagementLevel.Passive, Now) }),
                ("search.field_city_kazan", new SubscriberQuery { Field = new FieldCondition("city", "Kazan") }),
                ("search.field_matching_none", new SubscriberQuery { Field = new FieldCondition("city", "Atlantis") }),
                ("search.unindexed_field_matching_none", new SubscriberQuery { Field = new FieldCondition("birthday", "1900-01-01") }),
                ("search.name_prefix_petrov", new SubscriberQuery { Text = "petrov" }),
                ("search.email_prefix_1_in_10", new SubscriberQuery { Text = "bench09" }),
                ("search.email_prefix_1_in_1000", new SubscriberQuery { Text = "bench0099" }),
            ];
            foreach (var (key, query) in searches)
            {
                Add(figuresOut, key, Latencies(() => store.Search(query).Items.Count, samples), baseline);
            }

            // The parts of one dashboard request, then the request as a whole (the page's HTML is a few strings more).
            Add(figuresOut, "dashboard.count_by_status", Latencies(() => store.CountByStatus().Count, samples), baseline);
            Add(figuresOut, "dashboard.sends_by_state", Latencies(() => outbox.CountByState().Count, samples), baseline);
            Add(figuresOut, "dashboard.letter_stats_and_trends", Latencies(() => letterStats.All().Count + trends.LastWeeks(12).Count, samples), baseline);
            var refresh = Latencies(() => figures.Refresh().NextWeek.Count, 1);
            figuresOut.Add(BenchFigure.Of("dashboard.snapshot_refresh_s", refresh[0] / 1000, "s"));
            Add(figuresOut, "dashboard.request", Latencies(() => Request(letterStats, trends, figures), samples), baseline);
            figuresOut.Add(BenchFigure.Of("admin.peak_rss_mib", BenchTable.PeakRssMiB(), "MiB"));
            return figuresOut;
        }
        finally
        {
            if (keep is null)
            {
                BenchTable.Delete(file);
            }
        }
    }

    /// <summary>What Dashboard.Show and StatsApi compute for one request.</summary>
    private static int Request(LiteLetterStatsStore stats, ProgramTrends trends, DashboardFigures figures) =>
        stats.All().Count + trends.LastWeeks(12).Count + figures.Current().NextWeek.Count;

    private static void Add(List<BenchFigure> figures, string key, List<double> ms, double baseline)
    {
        figures.Add(BenchFigure.Of(key + "_p50_ms", BenchTable.Percentile(ms, 0.5), "ms", baseline));
        figures.Add(BenchFigure.Of(key + "_p95_ms", BenchTable.Percentile(ms, 0.95), "ms", baseline));
        Console.WriteLine($"  {key,-40} p50 {BenchTable.Percentile(ms, 0.5),10:N1} ms  p95 {BenchTable.Percentile(ms, 0.95),10:N1} ms");
    }

    /// <summary>A warm-up, then the samples; a query whose warm-up takes over a second (a walk of everyone) gets three.</summary>
    private static List<double> Latencies(Func<int> work, int samples)
    {
        var warm = Stopwatch.StartNew();
        GC.KeepAlive(work());
        if (warm.Elapsed > TimeSpan.FromSeconds(1))
        {
            samples = Math.Min(samples, 3);
        }
        var ms = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(work());
            ms.Add(watch.Elapsed.TotalMilliseconds);
        }
        return ms;
    }

    /// <summary>Bulk inserts in transactions of 50,000: the subscribers, then one sent letter each and a day of due ones.</summary>
    private static List<Guid> Fill(DripDatabase db, int count)
    {
        var watch = Stopwatch.StartNew();
        var ids = new List<Guid>(count);
        for (var start = 0; start < count; start += 50_000)
        {
            var chunk = Enumerable.Range(start, Math.Min(50_000, count - start)).Select(Person).ToList();
            ids.AddRange(chunk.Select(s => s.Id));
            db.InTransaction(() => db.Subscribers.InsertBulk(chunk));
        }
        var subscribersTook = watch.Elapsed;
        for (var start = 0; start < count; start += 50_000)
        {
            var chunk = Enumerable.Range(start, Math.Min(50_000, count - start)).Select(i => Sent(ids[i], i)).ToList();
            if (start % 500_000 == 0)
            {
                chunk.AddRange(Enumerable.Range(start, Math.Min(10_000, count - start)).Select(i => OutboxEntry.Create(
                    $"program:weekly:{ids[i]:N}:1", ids[i], "news-new-linen-colours", "program:weekly", Now.AddHours(2 + i % 20), false, Now)));
            }
            db.InTransaction(() => db.Outbox.InsertBulk(chunk));
        }
        Console.WriteLine($"filled {count:N0} subscribers in {subscribersTook.TotalSeconds:0.0} s and {db.Outbox.Count():N0} outbox entries in {(watch.Elapsed - subscribersTook).TotalSeconds:0.0} s");
        return ids;
    }

    private static OutboxEntry Sent(Guid subscriber, int i)
    {
        var e = OutboxEntry.Create($"program:weekly:{subscriber:N}:0", subscriber, "news-new-linen-colours", "program:weekly", Now.AddDays(-7).AddMinutes(i % 600), false, Now.AddDays(-8));
        e.SentAt = e.DueAt;
        e.Close(OutboxState.Sent);
        return e;
    }

    // Ids as Drip makes them (time-ordered, on the clock at each row, as the importer does): see BroadcastList.Subscriber.
    private static Subscriber Person(int i)
    {
        string[] zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Moscow", "Pacific/Auckland", "UTC", "Asia/Kolkata"];
        var email = $"bench{i:D7}@example.test";
        var kind = i % 100;
        return new Subscriber
        {
            Id = Subscriber.NewId(DateTimeOffset.UtcNow), Email = email, EmailKey = email, FirstName = "Reader", LastName = i % 1000 == 0 ? $"Petrov{i}" : $"Reader{i % 997}",
            TimeZone = zones[i % zones.Length], CreatedAt = Now.AddDays(-(i % 400)), ConsentAt = Now.AddDays(-(i % 400)),
            Status = i % 50 == 0 ? SubscriberStatus.Unsubscribed : i % 200 == 1 ? SubscriberStatus.Bounced : i % 100 == 3 ? SubscriberStatus.Pending : SubscriberStatus.Active,
            Fields = new(StringComparer.OrdinalIgnoreCase) { ["city"] = i % 10 == 0 ? "Kazan" : "Omsk", ["birthday"] = $"19{50 + i % 50}-{1 + i % 12:00}-{1 + i % 28:00}" },
            Engagement = kind switch
            {
                < 17 => new EngagementRecord { LastOpenAt = Now.AddDays(-(i % 80)), Opens = 3, Clicks = i % 3 },
                < 20 => new EngagementRecord { LastOpenAt = Now.AddDays(-2), LastClickAt = Now.AddDays(-(i % 30)), Opens = 12, Clicks = 5 + i % 7 },
                < 40 => new EngagementRecord { LastOpenAt = Now.AddDays(-200 - i % 100), Opens = 1 },
                _ => new EngagementRecord(),
            },
        };
    }
}
