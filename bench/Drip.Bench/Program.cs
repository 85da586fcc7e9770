using System.Diagnostics;
using System.Globalization;
using Drip.Bench;
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
var verb = args.FirstOrDefault() ?? "planner";
var subscribers = Arg("--subscribers", verb == "simulate" ? 10_000 : 100_000);
var weeks = Arg("--weeks", 8);
var templates = Path.GetFullPath(args.SkipWhile(a => a != "--templates").Skip(1).FirstOrDefault() ?? "templates");
var library = TemplateLibrary.Load(templates);
if (library.Programs.Count == 0)
{
    Console.Error.WriteLine($"no program in {templates}/programs; run from the repository root");
    return 1;
}
Console.WriteLine($"Drip bench · {DateTime.UtcNow:yyyy-MM-dd} · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {verb}");
return verb switch
{
    "planner" => Planner(),
    "simulate" => await SimulateAsync(),
    _ => Usage(),
};

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

int Usage()
{
    Console.Error.WriteLine("usage: Drip.Bench planner|simulate [--subscribers N] [--weeks N] [--templates PATH]");
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

static Subscriber Synthetic(int i, DateTimeOffset now)
{
    string[] zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/Moscow", "Pacific/Auckland", "UTC", "Asia/Kolkata"];
    var email = $"bench{i:D7}@example.test";
    return new Subscriber
    {
        Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = "Reader", TimeZone = zones[i % zones.Length],
        CreatedAt = now.AddDays(-(i % 400)), ConsentAt = now.AddDays(-(i % 400)),
        Fields = new(StringComparer.OrdinalIgnoreCase) { ["birthday"] = $"19{50 + i % 50}-{1 + i % 12:00}-{1 + i % 28:00}" },
    };
}
