using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Drip.Campaigns;
using Drip.Delivery;
using Drip.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace Drip.Bench.Delivery;

/// <summary>
/// The Drip side of a delivery measurement, run as its own process (hidden verb <c>drip-broadcast</c>) so its CPU
/// time and peak RSS are Drip's alone: over a LiteDB file already filled, enqueue a campaign to every subscriber
/// (timed apart), then let the real dispatcher send everything due to the sink, and write the figures as JSON.
/// </summary>
internal static class DripBroadcast
{
    public const string Verb = "drip-broadcast";

    /// <summary>Fills a data folder for the child alone, to run it under a profiler: <c>drip-fill --data DIR --letters N</c>.</summary>
    public const string FillVerb = "drip-fill";

    /// <summary>What the child measured; the parent reads it back from the JSON file.</summary>
    internal sealed record Figures(int Enqueued, int Sent, int NotSent, double EnqueueSeconds, double EnqueueCpuSeconds,
        double SendSeconds, double SendCpuSeconds, double EnqueuePeakRssMb, double SendPeakRssMb, int Gen0, int Gen2, double GcPauseSeconds,
        double AllocatedMb);

    public static async Task<int> ChildAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        if (args[0] == FillVerb)
        {
            BroadcastList.Fill(Arg("--data"), int.Parse(Arg("--letters"), CultureInfo.InvariantCulture));
            return 0;
        }
        var port = int.Parse(Arg("--port"), CultureInfo.InvariantCulture);
        var connections = int.Parse(Arg("--connections"), CultureInfo.InvariantCulture);
        await using var drip = DripWiring.Build(Arg("--data"), Arg("--templates"), port, connections);
        var campaigns = drip.GetRequiredService<CampaignEnqueuer>();
        var dispatcher = drip.GetRequiredService<Dispatcher>();
        var self = Process.GetCurrentProcess();

        var cpu = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var campaign = campaigns.Enqueue(DripWiring.Letter, SubscriberFilter.Mailable, campaignId: "bench");
        var enqueueSeconds = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var enqueueCpu = (self.TotalProcessorTime - cpu).TotalSeconds;
        var enqueuePeak = PeakRssMb();

        // The send phase starts from a collected heap and a reset high-water mark, so its peak is its own.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        ResetPeakRss();
        var (gen0, gen2, pause, allocated) = (GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
        self.Refresh();
        cpu = self.TotalProcessorTime;
        watch.Restart();
        var report = await dispatcher.DispatchDueAsync(CancellationToken.None);
        var sendSeconds = watch.Elapsed.TotalSeconds;
        self.Refresh();
        var figures = new Figures(campaign.Enqueued, report.Sent, report.Deferred + report.Bounced + report.Failed + report.Skipped,
            enqueueSeconds, enqueueCpu, sendSeconds, (self.TotalProcessorTime - cpu).TotalSeconds, enqueuePeak, PeakRssMb(),
            GC.CollectionCount(0) - gen0, GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - pause).TotalSeconds,
            (GC.GetTotalAllocatedBytes() - allocated) / 1048576.0);
        await File.WriteAllTextAsync(Arg("--out"), JsonSerializer.Serialize(figures));
        if (report.Sent != campaign.Enqueued)
        {
            Console.Error.WriteLine($"drip-broadcast: enqueued {campaign.Enqueued}, dispatch: {report}");
            return 1;
        }
        return 0;
    }

    /// <summary>VmHWM: the most resident memory this process has held (since start, or since the last reset).</summary>
    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    private static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");
}
