using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Drip.Bench;

/// <summary>
/// What one run of the harness found: named figures (for <c>bench/results/latest.json</c>) and Markdown tables
/// (for the dated report and <c>latest.md</c>). Any verb adds to it; the run writes it once at the end.
/// </summary>
internal sealed class BenchResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<KeyValuePair<string, double?>> _figures = [];
    private readonly List<BenchTable> _tables = [];
    private readonly List<string> _notes = [];

    public bool IsEmpty => _figures.Count == 0 && _tables.Count == 0;

    /// <summary>Sets a figure for latest.json; null says it was not measured (a tool was missing).</summary>
    public void Set(string key, double? value)
    {
        _figures.RemoveAll(f => f.Key == key);
        _figures.Add(new(key, value));
    }

    public double? Get(string key) => _figures.FirstOrDefault(f => f.Key == key).Value;

    /// <summary>Starts a table; its rows are added as they are measured.</summary>
    public BenchTable Table(string title, params string[] header)
    {
        var table = new BenchTable(title, header);
        _tables.Add(table);
        return table;
    }

    public void Note(string text) => _notes.Add(text);

    /// <summary>Writes the dated Markdown report into <paramref name="folder"/>, and with <paramref name="latest"/> also <c>latest.md</c> and <c>latest.json</c>.</summary>
    public string Write(string folder, string command, bool latest)
    {
        Directory.CreateDirectory(folder);
        var now = DateTimeOffset.UtcNow;
        var machine = Machine();
        var markdown = new StringBuilder();
        markdown.Append(CultureInfo.InvariantCulture, $"# Drip benchmark, {now:yyyy-MM-dd HH:mm} UTC\n\n");
        markdown.Append(CultureInfo.InvariantCulture, $"`{command}`\n\n");
        foreach (var (name, value) in machine)
        {
            markdown.Append(CultureInfo.InvariantCulture, $"- {name}: {value}\n");
        }
        foreach (var table in _tables)
        {
            markdown.Append('\n').Append(table.ToMarkdown());
        }
        if (_notes.Count > 0)
        {
            markdown.Append('\n');
            foreach (var note in _notes)
            {
                markdown.Append("- ").Append(note).Append('\n');
            }
        }
        // Two runs in one minute must not overwrite each other: the second gets the seconds too.
        var dated = Path.Combine(folder, $"{now:yyyy-MM-dd-HHmm}.md");
        if (File.Exists(dated))
        {
            dated = Path.Combine(folder, $"{now:yyyy-MM-dd-HHmmss}.md");
        }
        File.WriteAllText(dated, markdown.ToString());
        if (!latest)
        {
            return dated;
        }
        File.WriteAllText(Path.Combine(folder, "latest.md"), markdown.ToString());

        var json = new Dictionary<string, object?> { ["date"] = now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), ["command"] = command };
        foreach (var (name, value) in machine)
        {
            json[name] = value;
        }
        foreach (var (key, value) in _figures)
        {
            json[key] = value is { } v ? Math.Round(v, 3) : null;
        }
        File.WriteAllText(Path.Combine(folder, "latest.json"), JsonSerializer.Serialize(json, Indented) + "\n");
        return dated;
    }

    private static List<KeyValuePair<string, string>> Machine()
    {
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : "0";
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return
        [
            new("cores", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            new("memory_gib", (long.Parse(memory, CultureInfo.InvariantCulture) / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture)),
            new("cpu", cpu ?? RuntimeInformation.ProcessArchitecture.ToString()),
            new("os", RuntimeInformation.OSDescription),
            new("dotnet", Environment.Version.ToString()),
            .. Versions.All,
        ];
    }
}

/// <summary>One Markdown table of a report.</summary>
internal sealed class BenchTable(string title, string[] header)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells) => _rows.Add(cells);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("## ").Append(title).Append("\n\n| ").Append(string.Join(" | ", header)).Append(" |\n|");
        foreach (var _ in header)
        {
            text.Append("---|");
        }
        text.Append('\n');
        foreach (var row in _rows)
        {
            text.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        }
        return text.ToString();
    }

    /// <summary>The table as aligned plain text for the terminal.</summary>
    public string ToText()
    {
        var widths = header.Select((h, i) => _rows.Select(r => i < r.Length ? r[i].Length : 0).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        text.Append(title).Append('\n');
        void Line(string[] cells) => text.Append(string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])))).Append('\n');
        Line(header);
        foreach (var row in _rows)
        {
            Line(row);
        }
        return text.ToString();
    }
}

/// <summary>Versions of the tools and libraries a run measured, found at run time; verbs add theirs.</summary>
internal static class Versions
{
    public static List<KeyValuePair<string, string>> All { get; } = [];

    public static void Add(string name, string? version)
    {
        if (version is { Length: > 0 } && All.All(v => v.Key != name))
        {
            All.Add(new(name, version));
        }
    }
}
