using System.Diagnostics;
using System.Globalization;
using Drip.Bench;
using Drip.Bench.Delivery;
using Drip.Cadence;
using Drip.Letters;
using Drip.Planning;
using Drip.Rendering;
using Drip.Simulation;
using Drip.Storage;
using Drip.Subscribers;

// Drip's benchmark harness. Figures on shared 2-core machines are noisy, so each is printed next to a
// baseline measured in the same run.
//   dotnet run -c Release --project bench/Drip.Bench -- planner [--subscribers 100000]
//   dotnet run -c Release --project bench/Drip.Bench -- simulate [--subscribers 10000] [--weeks 8]
//   dotnet run -c Release --project bench/Drip.Bench -- search [--subscribers 1000000]
//   dotnet run -c Release --project bench/Drip.Bench -- delivery [--letters 100000] [--connections 4] [--runs 3] [--quick]
//   dotnet run -c Release --project bench/Drip.Bench -- broadcast [--letters 1000000]
//   dotnet run -c Release --project bench/Drip.Bench -- render [--letters 20000] [--repeats 3]
//   dotnet run -c Release --project bench/Drip.Bench -- import [--subscribers 1000000] [--indexed-fields city,…]
//   dotnet run -c Release --project bench/Drip.Bench -- admin [--subscribers 1000000] [--samples 20]
//   dotnet run -c Release --project bench/Drip.Bench -- unsubscribe-load [--letters 20000] [--unsubscribes 10000] [--concurrency 64]
//   dotnet run -c Release --project bench/Drip.Bench -- all [--quick]   (writes bench/results/)
var verb = args.FirstOrDefault() ?? "planner";
if (verb is DripBroadcast.Verb or DripBroadcast.FillVerb)
{
    return await DripBroadcast.ChildAsync(args);
}
var quick = args.Contains("--quick");
var results = new BenchResults();
var subscribers = Arg("--subscribers", verb switch { "simulate" => 10_000, "search" or "import" or "admin" => 1_000_000, "all" when quick => 20_000, _ => 100_000 });
var weeks = Arg("--weeks", 8);
var templates = Path.GetFullPath(args.SkipWhile(a => a != "--templates").Skip(1).FirstOrDefault() ?? "templates");
var library = TemplateLibrary.Load(templates);
if (library.Programs.Count == 0)
{
    Console.Error.WriteLine($"no program in {templates}/programs; run from the repository root");
    return 1;
}
Console.WriteLine($"Drip bench · {DateTime.UtcNow:yyyy-MM-dd} · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {verb}");
var code = verb switch
{
    "planner" => Planner(),
    "simulate" => await SimulateAsync(),
    "search" => Search(),
    "delivery" => await DeliveryVerbs.DeliveryAsync(results, templates, args, quick),
    "broadcast" => await DeliveryVerbs.BroadcastAsync(results, templates, args),
    "all" => await AllAsync(),
    "render" => Drip.Bench.Scale.ScaleVerbs.Render(args, library),
    "import" => Drip.Bench.Scale.ScaleVerbs.Import(args, subscribers),
    "admin" => Drip.Bench.Scale.ScaleVerbs.Admin(args, library, subscribers),
    "unsubscribe-load" => await DeliveryVerbs.UnsubscribeLoadAsync(results, templates, args),
    _ => Usage(),
};
return DeliveryVerbs.Finish(results, args, code);

// Everything that feeds bench/results/latest.json, one after another so no two measurements share the cores.
async Task<int> AllAsync()
{
    var failed = Planner();
    failed |= await DeliveryVerbs.DeliveryAsync(results, templates, args, quick);
    if (!quick)
    {
        failed |= await DeliveryVerbs.BroadcastAsync(results, templates, args);
        failed |= await DeliveryVerbs.UnsubscribeLoadAsync(results, templates, ["unsubscribe-load"]);
    }
    return failed;
}

int Planner()
{
    // --write-ahead H overrides Cadence:WriteAhead, to see what a longer or shorter write window costs.
    var caps = new FrequencyCaps();
    if (args.Contains("--write-ahead"))
    {
        caps.WriteAhead = TimeSpan.FromHours(Arg("--write-ahead", 0));
    }
    var planner = new CadencePlanner(library, caps, new PlanningOptions());
    // A Tuesday morning: the Tuesday windows of Europe and Asia are near, so the pass writes about the most it ever does.
    var now = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);

    // Over LiteDB first, while the process holds nothing else: subscribers are written in chunks and the
    // pass streams them, so the peak working set shows whether memory grows with the list.
    var file = Path.Combine(Path.GetTempPath(), $"drip-bench-{Environment.ProcessId}.db");
    try
    {
        long peakAfterLoad;
        using (var db = new DripDatabase(file))
        {
            for (var start = 0; start < subscribers; start += 50_000)
            {
                db.Subscribers.InsertBulk(Enumerable.Range(start, Math.Min(50_000, subscribers - start)).Select(i => Synthetic(i, now)));
            }
            GC.Collect();
            peakAfterLoad = Environment.WorkingSet;
            var store = new LiteSubscriberStore(db);
            var outbox = new TimedOutbox(new LiteOutboxStore(db));
            var clock = new SimulatedClock(now);
            var pass = new PlanningPass(store, outbox, planner, new Pauses(store, outbox, new LiteHistoryStore(db), clock), caps, clock);
            var read = Measure(() => store.Stream(SubscriberFilter.Mailable).Count());
            var planned = Measure(() => pass.Run());
            Row("baseline: stream subscribers from LiteDB", subscribers, read, null);
            Row("planning pass over LiteDB, one week ahead", subscribers, planned, read);
            results.Set("planner_subscribers_per_s", subscribers / planned.TotalSeconds);
            results.Note($"Planner: one planning pass a week ahead over {subscribers:N0} subscribers in LiteDB: {subscribers / planned.TotalSeconds:N0} subscribers/s " +
                         $"(streaming them alone: {subscribers / read.TotalSeconds:N0}/s).");
            Console.WriteLine($"sends decided: {pass.Decided:N0} · written (due within the {caps.WriteAhead.TotalHours:0} h write-ahead): {db.Outbox.Count():N0} " +
                              $"in {outbox.Writing.TotalSeconds:0.0} s of the pass · working set before the pass {peakAfterLoad / 1048576} MB · " +
                              $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
        }
    }
    finally
    {
        File.Delete(file);
        File.Delete(file + ".lock");
    }

    // In memory: the planner alone, against a baseline that touches each subscriber's zone.
    var people = Enumerable.Range(0, subscribers).Select(i => Synthetic(i, now)).ToList();
    var baseline = Measure(() => people.Sum(p => TimeZoneInfo.FindSystemTimeZoneById(p.TimeZone!).BaseUtcOffset.Ticks != 0 ? 1 : 0));
    var pure = Measure(() => people.Sum(p => planner.Plan(p, [], now).Count));
    Row("baseline: read each subscriber's zone", subscribers, baseline, null);
    Row("planner alone, one week ahead, in memory", subscribers, pure, baseline);
    return 0;
}

async Task<int> SimulateAsync()
{
    var simulator = new Simulator(library, new FrequencyCaps(), new PlanningOptions(), new RenderLimits());
    var watch = Stopwatch.StartNew();
    var rows = await simulator.RunAsync(new SimulationSettings(new DateOnly(2026, 1, 5), weeks, subscribers, 42), null, CancellationToken.None);
    watch.Stop();
    Console.WriteLine($"simulate {subscribers} subscribers × {weeks} weeks: {watch.Elapsed.TotalSeconds:0.0} s wall, {rows.Count} letters " +
                      $"({rows.Count / watch.Elapsed.TotalSeconds:0} letters/s simulated) · peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
    return 0;
}

int Search()
{
    // One page of 50 at the start, deep in the list through a cursor, and under filters, over a LiteDB file
    // of N subscribers; each is read after a warm-up of the same query, as a marketer clicking would.
    var now = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
    var file = Path.Combine(Path.GetTempPath(), $"drip-bench-search-{Environment.ProcessId}.db");
    try
    {
        using var db = new DripDatabase(file);
        var fill = Stopwatch.StartNew();
        var ids = new List<Guid>(subscribers);
        for (var start = 0; start < subscribers; start += 50_000)
        {
            var chunk = Enumerable.Range(start, Math.Min(50_000, subscribers - start)).Select(i => Searchable(i, now)).ToList();
            ids.AddRange(chunk.Select(s => s.Id));
            db.Subscribers.InsertBulk(chunk);
        }
        Console.WriteLine($"filled {subscribers:N0} subscribers in {fill.Elapsed.TotalSeconds:0.0} s");
        ids.Sort();
        var store = new LiteSubscriberStore(db);
        var judge = new Drip.Engagement.EngagementJudge(new Drip.Engagement.EngagementOptions());
        var deep = ids[ids.Count * 9 / 10];
        (string, SubscriberQuery)[] queries =
        [
            ("first page", new SubscriberQuery()),
            ("page 90% deep through the cursor", new SubscriberQuery { After = deep }),
            ("status=active, city=Kazan (1 in 10)", new SubscriberQuery { Status = SubscriberStatus.Active, Field = new FieldCondition("city", "Kazan") }),
            ("engagement=fan (1 in 33)", new SubscriberQuery { Engagement = judge.Window(Drip.Engagement.EngagementLevel.Fan, now) }),
            ("status=unsubscribed (1 in 50), deep", new SubscriberQuery { Status = SubscriberStatus.Unsubscribed, After = deep }),
            ("q=petrov (last-name prefix, 1 in 1000)", new SubscriberQuery { Text = "petrov" }),
            ("q=bench0099 (email prefix)", new SubscriberQuery { Text = "bench0099" }),
            ("field=city:Tver (matches none: full walk)", new SubscriberQuery { Field = new FieldCondition("city", "Tver") }),
        ];
        foreach (var (what, query) in queries)
        {
            store.Search(query);
            var watch = Stopwatch.StartNew();
            var page = store.Search(query);
            Console.WriteLine($"{what,-44} {page.Items.Count,4} rows {watch.Elapsed.TotalMilliseconds,10:N1} ms");
        }
    }
    finally
    {
        File.Delete(file);
        File.Delete(file + ".lock");
    }
    return 0;
}

static Subscriber Searchable(int i, DateTimeOffset now)
{
    var s = Synthetic(i, now);
    s.LastName = i % 1000 == 0 ? $"Petrov{i}" : $"Reader{i % 997}";
    s.Status = i % 50 == 0 ? SubscriberStatus.Unsubscribed : SubscriberStatus.Active;
    s.Fields["city"] = i % 10 == 0 ? "Kazan" : "Omsk";
    if (i % 33 == 0)
    {
        s.Engagement = new EngagementRecord { LastClickAt = now.AddDays(-3), Clicks = 9 };
    }
    return s;
}

int Usage()
{
    Console.Error.WriteLine("usage: Drip.Bench planner|simulate|search|render|import|admin|delivery|broadcast|unsubscribe-load|all [--subscribers N] [--weeks N] [--letters N] [--connections N] [--runs N] [--quick] [--templates PATH] [--indexed-fields F,…]");
    return 2;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static TimeSpan Measure(Func<int> work)
{
    var watch = Stopwatch.StartNew();
    GC.KeepAlive(work());
    return watch.Elapsed;
}

void Row(string what, int count, TimeSpan elapsed, TimeSpan? baseline)
{
    var ratio = baseline is { } b && b > TimeSpan.Zero ? $"{elapsed / b,8:0.0}× baseline" : "";
    Console.WriteLine($"{what,-48} {count / elapsed.TotalSeconds,12:N0} subscribers/s {elapsed.TotalSeconds,8:0.00} s {ratio}");
}

// Ids as Drip makes them (time-ordered, on the clock at each row, as the importer does): see BroadcastList.Subscriber.
static Subscriber Synthetic(int i, DateTimeOffset now)
{
    string[] zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Moscow", "Pacific/Auckland", "UTC", "Asia/Kolkata"];
    var email = $"bench{i:D7}@example.test";
    return new Subscriber
    {
        Id = Subscriber.NewId(DateTimeOffset.UtcNow), Email = email, EmailKey = email, FirstName = "Reader", TimeZone = zones[i % zones.Length],
        CreatedAt = now.AddDays(-(i % 400)), ConsentAt = now.AddDays(-(i % 400)),
        Fields = new(StringComparer.OrdinalIgnoreCase) { ["birthday"] = $"19{50 + i % 50}-{1 + i % 12:00}-{1 + i % 28:00}" },
    };
}
