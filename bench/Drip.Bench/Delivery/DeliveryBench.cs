using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Drip.Bench.Delivery;

/// <summary>
/// Delivery throughput against Postfix's smtp-sink on loopback, three senders at the same connection count:
/// the limit (Postfix's smtp-source, messages of Drip's size), Drip (a broadcast from a LiteDB file through the
/// real outbox and dispatcher, in its own process) and the peer (nodemailer + handlebars). Each run measures
/// all three back to back; the table shows medians, so a noisy neighbour weighs on all of them alike.
/// </summary>
internal sealed class DeliveryBench
{
    public const string Install = "apt-get install -y postfix nodejs npm && npm install --prefix bench/.peer nodemailer handlebars";

    private readonly BenchResults _results;
    private readonly string _templates;
    private readonly int _letters;
    private readonly int _connections;
    private readonly int _runs;
    private readonly bool _withPeer;
    private readonly string _prefix;
    private readonly string _peerFolder = Path.GetFullPath(Path.Combine("bench", ".peer"));
    private readonly string _peerScript = Path.GetFullPath(Path.Combine("bench", "Drip.Bench", "Delivery", "peer.cjs"));

    // prefix goes before every key in latest.json, so a one-off broadcast does not overwrite the delivery figures.
    public DeliveryBench(BenchResults results, string templates, int letters, int connections, int runs, bool withPeer, string prefix = "")
    {
        _results = results;
        _templates = templates;
        _letters = letters;
        _connections = connections;
        _runs = runs;
        _withPeer = withPeer;
        _prefix = prefix;
    }

    private sealed record Run(double LettersPerSecond, double? CpuMicroseconds, double? PeakRssMb);

    public async Task<int> RunAsync()
    {
        if (!File.Exists(SmtpSink.SinkPath) || !File.Exists(SmtpSink.SourcePath))
        {
            Console.Error.WriteLine($"delivery: {SmtpSink.SinkPath} and {SmtpSink.SourcePath} are needed (Debian package postfix; only its tools run): {Install}");
            return 1;
        }
        var peerMissing = _withPeer ? PeerMissing() : "not run for this size";
        if (_withPeer && peerMissing is not null)
        {
            Console.WriteLine($"peer skipped: {peerMissing}");
        }
        RecordVersions();

        var work = Directory.CreateTempSubdirectory("drip-bench-delivery-").FullName;
        try
        {
            var (size, peerTemplates) = Sample(work);
            var watch = Stopwatch.StartNew();
            var filled = Path.Combine(work, "filled");
            BroadcastList.Fill(filled, _letters);
            Console.WriteLine($"{_letters:N0} subscribers written to LiteDB in {watch.Elapsed.TotalSeconds:0.0} s (setup, not timed); " +
                              $"letter {size:N0} bytes; {_connections} connections; {_runs} run(s)");

            var limit = new List<Run>();
            var drip = new List<Run>();
            var peer = new List<Run>();
            var figures = new List<DripBroadcast.Figures>();
            for (var run = 1; run <= _runs; run++)
            {
                limit.Add(await LimitAsync(size));
                var (dripRun, dripFigures) = await DripAsync(filled, Path.Combine(work, $"run{run}"));
                drip.Add(dripRun);
                figures.Add(dripFigures);
                if (peerMissing is null)
                {
                    peer.Add(await PeerAsync(peerTemplates));
                }
                Console.WriteLine($"run {run}: limit {limit[^1].LettersPerSecond:N0}/s · Drip {drip[^1].LettersPerSecond:N0}/s, {drip[^1].CpuMicroseconds:0} µs CPU/letter" +
                                  (peer.Count > 0 ? $" · peer {peer[^1].LettersPerSecond:N0}/s" : ""));
            }
            Report(size, limit, drip, peer, figures, peerMissing);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The size of Drip's letter on the wire, and the same letter as handlebars templates for the peer.</summary>
    private (int Size, string PeerTemplates) Sample(string work)
    {
        using var drip = DripWiring.Build(Path.Combine(work, "sample"), _templates, 25, _connections);
        var probe = BroadcastList.Subscriber(0, DateTimeOffset.UtcNow);
        var (message, _, _) = DripWiring.Sample(drip, probe);
        using var wire = new MemoryStream();
        message.WriteTo(wire);

        // A subscriber whose name and links are markers; each marker becomes a handlebars placeholder.
        var marked = BroadcastList.Subscriber(0, DateTimeOffset.UtcNow);
        marked.FirstName = "Zqxname";
        var (_, rendered, unsubscribe) = DripWiring.Sample(drip, marked);
        var tracker = drip.GetRequiredService<Drip.Engagement.LinkTracker>();
        var publicOptions = drip.GetRequiredService<Drip.Delivery.PublicOptions>();
        var target = publicOptions.Links["shop"];
        var click = tracker.ClickUrl(marked.Id, DripWiring.Letter, target);
        var open = tracker.OpenUrl(marked.Id, DripWiring.Letter);
        string Placeholders(string text)
        {
            foreach (var (value, name) in new[] { (click, "click_url"), (open, "open_url"), (unsubscribe, "unsubscribe_url"), ("Zqxname", "name") })
            {
                text = text.Replace(WebUtility.HtmlEncode(value), $"{{{{{name}}}}}", StringComparison.Ordinal).Replace(value, $"{{{{{name}}}}}", StringComparison.Ordinal);
            }
            return text;
        }
        var html = Placeholders(rendered.Html);
        if (!html.Contains("{{click_url}}", StringComparison.Ordinal) || !html.Contains("{{name}}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the peer's template lost the personal parts of the letter");
        }
        var sender = drip.GetRequiredService<Drip.Delivery.SenderOptions>();
        var file = Path.Combine(work, "peer-templates.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["subject"] = Placeholders(rendered.Subject), ["html"] = html, ["text"] = Placeholders(rendered.Text),
            ["names"] = BroadcastList.FirstNames, ["base"] = publicOptions.BaseUrl, ["target"] = target, ["letter"] = DripWiring.Letter,
            ["from"] = sender.Address, ["fromName"] = sender.Name, ["unsubscribeMailbox"] = sender.UnsubscribeAddress!,
        }));
        return ((int)wire.Length, file);
    }

    private async Task<Run> LimitAsync(int size)
    {
        using var sink = await SmtpSink.StartAsync();
        // -d keeps each session open for the next message, as Drip and nodemailer do.
        var watch = Stopwatch.StartNew();
        var (code, _, error) = await RunAsync(SmtpSink.SourcePath, null,
            "-d", "-s", $"{_connections}", "-m", $"{_letters}", "-l", $"{size}", "-f", "news@example.com", "-t", "reader@example.test", $"127.0.0.1:{sink.Port}");
        var seconds = watch.Elapsed.TotalSeconds;
        if (code != 0)
        {
            throw new InvalidOperationException($"smtp-source exited {code}: {error}");
        }
        return new Run(_letters / seconds, null, null);
    }

    private async Task<(Run, DripBroadcast.Figures)> DripAsync(string filled, string data)
    {
        Directory.CreateDirectory(data);
        File.Copy(Path.Combine(filled, "drip.db"), Path.Combine(data, "drip.db"));
        using var sink = await SmtpSink.StartAsync();
        var output = Path.Combine(data, "figures.json");
        var self = Environment.ProcessPath!;
        string[] child = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(DeliveryBench).Assembly.Location] : [];
        var (code, _, error) = await RunAsync(self, null, [.. child, DripBroadcast.Verb, "--data", data, "--templates", _templates,
            "--port", $"{sink.Port}", "--connections", $"{_connections}", "--out", output]);
        if (code != 0)
        {
            throw new InvalidOperationException($"the Drip broadcast exited {code}: {error}");
        }
        var figures = JsonSerializer.Deserialize<DripBroadcast.Figures>(await File.ReadAllTextAsync(output))!;
        Directory.Delete(data, recursive: true);
        return (new Run(figures.Sent / figures.SendSeconds, figures.SendCpuSeconds * 1e6 / figures.Sent,
            Math.Max(figures.EnqueuePeakRssMb, figures.SendPeakRssMb)), figures);
    }

    private async Task<Run> PeerAsync(string templates)
    {
        using var sink = await SmtpSink.StartAsync();
        var (code, output, error) = await RunAsync("node", new() { ["NODE_PATH"] = Path.Combine(_peerFolder, "node_modules") },
            _peerScript, templates, $"{sink.Port}", $"{_connections}", $"{_letters}");
        if (code != 0)
        {
            throw new InvalidOperationException($"the nodemailer peer exited {code}: {error}");
        }
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        var sent = root.GetProperty("sent").GetDouble();
        return new Run(sent / root.GetProperty("seconds").GetDouble(), root.GetProperty("cpu_seconds").GetDouble() * 1e6 / sent,
            root.GetProperty("peak_rss_mb").GetDouble());
    }

    private void Report(int size, List<Run> limit, List<Run> drip, List<Run> peer, List<DripBroadcast.Figures> figures, string? peerMissing)
    {
        var limitRate = Median(limit.Select(r => r.LettersPerSecond));
        var dripRate = Median(drip.Select(r => r.LettersPerSecond));
        var dripCpu = Median(drip.Select(r => r.CpuMicroseconds!.Value));
        var dripRss = Median(drip.Select(r => r.PeakRssMb!.Value));
        var peerRate = peer.Count > 0 ? Median(peer.Select(r => r.LettersPerSecond)) : (double?)null;
        string Rates(List<Run> runs) => string.Join(", ", runs.Select(r => r.LettersPerSecond.ToString("N0", CultureInfo.InvariantCulture)));

        var table = _results.Table($"Delivery: {_letters:N0} letters of {size:N0} bytes to smtp-sink on 127.0.0.1, {_connections} connections, median of {_runs}",
            "sender", "letters/s", "of the limit", "CPU µs/letter", "peak RSS MB", "runs (letters/s)");
        table.Add("limit: Postfix smtp-source", F(limitRate), "1.00", "", "", Rates(limit));
        table.Add("**Drip** (LiteDB → outbox → dispatcher)", $"**{F(dripRate)}**", $"**{dripRate / limitRate:0.00#}**", F(dripCpu), F(dripRss), Rates(drip));
        if (peerRate is { } p)
        {
            table.Add("peer: nodemailer pool + handlebars", F(p), $"{p / limitRate:0.00#}", F(Median(peer.Select(r => r.CpuMicroseconds!.Value))),
                F(Median(peer.Select(r => r.PeakRssMb!.Value))), Rates(peer));
        }
        var enqueue = Median(figures.Select(f => f.EnqueueSeconds));
        _results.Note($"Drip: enqueueing the campaign ({_letters:N0} outbox entries, timed apart from sending) took {enqueue:0.00} s " +
                      $"({_letters / enqueue:N0}/s); peak RSS is the Drip process's VmHWM over enqueue and send " +
                      $"(enqueue {Median(figures.Select(f => f.EnqueuePeakRssMb)):0} MB, send {Median(figures.Select(f => f.SendPeakRssMb)):0} MB); " +
                      $"send phase: {Median(figures.Select(f => (double)f.Gen0)):0} gen0 / {Median(figures.Select(f => (double)f.Gen2)):0} gen2 collections, " +
                      $"{Median(figures.Select(f => f.GcPauseSeconds)) * 1000:0} ms GC pauses, " +
                      $"{Median(figures.Select(f => f.AllocatedMb * 1048576 / f.Sent)) / 1024:0.0} KB allocated a letter.");
        _results.Note(peerRate is { } q
            ? $"Drip vs peer: **{dripRate / q:0.00}×** the letters/s of nodemailer (same run, same sink, same connections)."
            : $"peer: {peerMissing}.");
        Console.WriteLine();
        Console.WriteLine(table.ToText());

        _results.Set($"{_prefix}letters", _letters);
        _results.Set($"{_prefix}connections", _connections);
        _results.Set($"{_prefix}letter_bytes", size);
        _results.Set($"{_prefix}drip_letters_per_s", dripRate);
        _results.Set($"{_prefix}limit_letters_per_s", limitRate);
        _results.Set($"{_prefix}peer_letters_per_s", peerRate);
        _results.Set($"{_prefix}drip_to_limit", dripRate / limitRate);
        _results.Set($"{_prefix}drip_to_peer", peerRate is { } r ? dripRate / r : null);
        _results.Set($"{_prefix}cpu_us_per_letter", dripCpu);
        _results.Set($"{_prefix}peak_rss_mb", dripRss);
        _results.Set($"{_prefix}enqueue_seconds", enqueue);
    }

    private string? PeerMissing()
    {
        if (!File.Exists(_peerScript))
        {
            return $"{_peerScript} is missing; run from the repository root";
        }
        if (FindOnPath("node") is null)
        {
            return $"node is not installed ({Install})";
        }
        return Directory.Exists(Path.Combine(_peerFolder, "node_modules", "nodemailer")) && Directory.Exists(Path.Combine(_peerFolder, "node_modules", "handlebars"))
            ? null
            : "nodemailer and handlebars are not installed (npm install --prefix bench/.peer nodemailer handlebars)";
    }

    private void RecordVersions()
    {
        Versions.Add("postfix", Capture("/usr/sbin/postconf", "-d", "-h", "mail_version"));
        Versions.Add("MailKit", PackageVersion(typeof(MailKit.Net.Smtp.SmtpClient)));
        Versions.Add("Scriban", PackageVersion(typeof(Scriban.Template)));
        Versions.Add("LiteDB", PackageVersion(typeof(LiteDB.LiteDatabase)));
        if (FindOnPath("node") is not null)
        {
            Versions.Add("node", Capture("node", "--version"));
            foreach (var package in new[] { "nodemailer", "handlebars" })
            {
                var manifest = Path.Combine(_peerFolder, "node_modules", package, "package.json");
                if (File.Exists(manifest))
                {
                    using var json = JsonDocument.Parse(File.ReadAllText(manifest));
                    Versions.Add(package, json.RootElement.GetProperty("version").GetString());
                }
            }
        }
    }

    // The informational version is the package's (4.18.2); the assembly version is often rounded (4.18.0.0).
    private static string? PackageVersion(Type type) =>
        (type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false).FirstOrDefault()
            as System.Reflection.AssemblyInformationalVersionAttribute)?.InformationalVersion.Split('+')[0];

    private static string? Capture(string file, params string[] args)
    {
        try
        {
            return RunAsync(file, null, args).GetAwaiter().GetResult().Output.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, Dictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string F(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
