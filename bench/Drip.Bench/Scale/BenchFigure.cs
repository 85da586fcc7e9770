using System.Diagnostics;
using System.Globalization;

namespace Drip.Bench.Scale;

/// <summary>
/// One figure of a bench verb, next to its baseline measured in the same run: <see cref="Ratio"/> is
/// value ÷ baseline (null without a baseline). Verbs return a list of these so a results writer can take them as they are.
/// </summary>
public sealed record BenchFigure(string Key, double Value, string Unit, double? Baseline, double? Ratio)
{
    public static BenchFigure Of(string key, double value, string unit, double? baseline = null) =>
        new(key, value, unit, baseline, baseline is > 0 ? value / baseline : null);
}

internal static class BenchTable
{
    public static void Print(string title, IReadOnlyList<BenchFigure> figures)
    {
        Console.WriteLine();
        Console.WriteLine($"{title} · load {Load()}");
        Console.WriteLine($"{"figure",-52} {"value",14} {"unit",-14} {"baseline",14} {"ratio",8}");
        foreach (var f in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Key,-52} {Number(f.Value),14} {f.Unit,-14} {(f.Baseline is { } b ? Number(b) : ""),14} {(f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : ""),8}"));
        }
    }

    private static string Number(double v) => v.ToString(Math.Abs(v) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture);

    /// <summary>The 1-minute load average: the machine is shared, so figures come with how busy it was.</summary>
    public static string Load() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    public static double PeakRssMiB() => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The value at or above a share of the sorted samples (nearest rank).</summary>
    public static double Percentile(IEnumerable<double> values, double share)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static string TempFile(string name) => Path.Combine(Path.GetTempPath(), $"drip-bench-{name}-{Environment.ProcessId}");

    public static void Delete(string file)
    {
        foreach (var f in new[] { file, file + ".lock", Path.ChangeExtension(file, null) + "-log.db" })
        {
            File.Delete(f);
        }
    }
}
