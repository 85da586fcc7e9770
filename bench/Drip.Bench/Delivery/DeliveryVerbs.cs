using System.Globalization;
using Drip.Delivery;

namespace Drip.Bench.Delivery;

/// <summary>The delivery verbs' arguments and the end of every run: the report written under bench/results/.</summary>
internal static class DeliveryVerbs
{
    /// <summary>Limit, Drip and peer at the same connection count; --quick is 20,000 letters.</summary>
    public static Task<int> DeliveryAsync(BenchResults results, string templates, string[] args, bool quick) =>
        new DeliveryBench(results, templates, Arg(args, "--letters", quick ? 20_000 : 100_000), Connections(args), Arg(args, "--runs", 3), withPeer: true).RunAsync();

    /// <summary>One large broadcast (default 1,000,000) against the limit, for memory: the peer would take a quarter of an hour.</summary>
    public static Task<int> BroadcastAsync(BenchResults results, string templates, string[] args) =>
        new DeliveryBench(results, templates, Arg(args, "--broadcast", Arg(args, "--letters", 1_000_000)), Connections(args), 1, withPeer: false, prefix: "broadcast_").RunAsync();

    /// <summary>The public unsubscribe endpoint under load from this process while the host, a process of its own, sends a broadcast.</summary>
    public static Task<int> UnsubscribeLoadAsync(BenchResults results, string templates, string[] args)
    {
        var letters = Arg(args, "--letters", 20_000);
        return new Load.UnsubscribeLoadBench(results, templates, letters, Arg(args, "--unsubscribes", letters / 2), Arg(args, "--concurrency", 64), Connections(args)).RunAsync();
    }

    /// <summary>Writes the report when the verb produced figures; only <c>all</c> replaces latest.md and latest.json.</summary>
    public static int Finish(BenchResults results, string[] args, int code)
    {
        if (results.IsEmpty || args.Contains(DripBroadcast.Verb))
        {
            return code;
        }
        var written = results.Write(Path.Combine("bench", "results"), $"dotnet run -c Release --project bench/Drip.Bench -- {string.Join(' ', args)}",
            latest: args.FirstOrDefault() == "all");
        Console.WriteLine($"results: {written}");
        return code;
    }

    // Drip's own default unless told otherwise: the limit and the peer use whatever Drip uses.
    private static int Connections(string[] args) => Arg(args, "--connections", new SmtpOptions().Connections);

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
