using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Drip.Bench.Delivery;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.DependencyInjection;

namespace Drip.Bench.Load;

/// <summary>
/// The public unsubscribe endpoint under load while a broadcast is in flight (verb <c>unsubscribe-load</c>). The real host
/// runs as its own process over a LiteDB file of <c>letters</c> subscribers and sends a campaign to every one of them
/// through smtp-sink; once letters are flowing, this process posts RFC 8058 one-click unsubscribes for
/// <c>unsubscribes</c> of them, <c>concurrency</c> at a time. Afterwards the store is opened and every answered
/// unsubscribe is checked against the letter it should have stopped. The baseline is the same host, idle, answering
/// the sign-up page (no store access) to the same client: the ratio shows what the broadcast and the writes cost.
/// </summary>
internal sealed class UnsubscribeLoadBench(BenchResults results, string templates, int letters, int unsubscribes, int concurrency, int connections)
{
    private sealed record Leaver(Guid Id, string Path);

    private sealed record Verdicts(int Unsubscribed, int Skipped, int SentBefore, int SentAfter, int Other, IReadOnlyList<string> Problems);

    public async Task<int> RunAsync()
    {
        if (!File.Exists(SmtpSink.SinkPath))
        {
            Console.Error.WriteLine($"unsubscribe-load: {SmtpSink.SinkPath} is needed (Debian package postfix; only its tools run): {DeliveryBench.Install}");
            return 1;
        }
        if (unsubscribes > letters)
        {
            Console.Error.WriteLine("unsubscribe-load: --unsubscribes cannot exceed --letters (each subscriber unsubscribes once)");
            return 2;
        }
        var work = Directory.CreateTempSubdirectory("drip-bench-load-").FullName;
        try
        {
            return await MeasureAsync(work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private async Task<int> MeasureAsync(string work)
    {
        var data = Path.Combine(work, "data");
        BroadcastList.Fill(data, letters);
        var leavers = Leavers(data);
        Console.WriteLine($"{letters:N0} subscribers in LiteDB; {unsubscribes:N0} of them will unsubscribe during the broadcast, {concurrency} at a time; {connections} SMTP connections");

        using var sink = await SmtpSink.StartAsync(counting: true);
        var apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var settings = DripWiring.Settings(data, templates, sink.Port, connections);
        settings["Dispatch:Interval"] = "00:00:01";
        settings["Api:Keys:0"] = apiKey;
        LoadClient.Outcome baseline, load;
        int sentAtStart, sentAtEnd;
        Dictionary<string, int> sends;
        await using (var host = await HostProcess.StartAsync(settings, work))
        {
            using var client = new LoadClient(host.Address, concurrency);
            using var api = new HttpClient { BaseAddress = host.Address };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

            // Warm the host's JIT and connection pool first, so neither the baseline nor the load pays for them.
            await client.RunAsync(Math.Min(2_000, unsubscribes), _ => new HttpRequestMessage(HttpMethod.Get, "/subscribe"));
            baseline = await client.RunAsync(unsubscribes, _ => new HttpRequestMessage(HttpMethod.Get, "/subscribe"));
            Console.WriteLine($"baseline (idle host, GET /subscribe): {baseline.RequestsPerSecond:N0} requests/s, {baseline.Failed} failed");

            using (var started = await api.PostAsJsonAsync("/api/campaigns", new { letter = DripWiring.Letter, to = "all", id = "load" }))
            {
                if (started.StatusCode != HttpStatusCode.Accepted)
                {
                    Console.Error.WriteLine($"unsubscribe-load: the campaign was refused: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
                    return 1;
                }
            }
            // Start once letters are flowing, with most of the broadcast still ahead.
            await WaitAsync(() => sink.Messages >= Math.Min(letters / 20, 1_000), TimeSpan.FromMinutes(2), "the broadcast to start");
            sentAtStart = sink.Messages;
            load = await client.RunAsync(leavers.Count, i => OneClick(leavers[i].Path));
            sentAtEnd = sink.Messages;
            Console.WriteLine($"load (one-click unsubscribes during the broadcast): {load.RequestsPerSecond:N0} requests/s, {load.Failed} failed; " +
                              $"the sink took letters {sentAtStart:N0} to {sentAtEnd:N0} meanwhile");
            foreach (var error in load.Errors.Concat(baseline.Errors))
            {
                Console.Error.WriteLine($"  {error}");
            }
            sends = await WaitForBroadcastAsync(api);
        }

        var verdicts = Check(data, leavers, load);
        Report(baseline, load, sentAtStart, sentAtEnd, sends, verdicts, sink.Messages);
        return load.Failed == 0 && verdicts.Problems.Count == 0 && verdicts.SentAfter <= connections ? 0 : 1;
    }

    /// <summary>Every second subscriber in a shuffled order, each with the path of their own signed unsubscribe link.</summary>
    private List<Leaver> Leavers(string data)
    {
        using var drip = DripWiring.Build(data, templates, 25, connections);
        var links = drip.GetRequiredService<UnsubscribeLinks>();
        var everyone = drip.GetRequiredService<ISubscriberStore>().Stream(SubscriberFilter.Mailable).Select(s => s.Id).ToArray();
        new Random(20261123).Shuffle(everyone);
        return everyone.Take(unsubscribes).Select(id => new Leaver(id, new Uri(links.Url(id, DripWiring.Letter)).PathAndQuery)).ToList();
    }

    private static HttpRequestMessage OneClick(string path) => new(HttpMethod.Post, path)
    {
        Content = new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]),
    };

    /// <summary>Waits until no send of the campaign is due, claimed or deferred, and returns the outbox counts.</summary>
    private static async Task<Dictionary<string, int>> WaitForBroadcastAsync(HttpClient api)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            var summary = await api.GetFromJsonAsync<Summary>("/api/outbox/summary") ?? throw new InvalidOperationException("no outbox summary");
            var open = summary.Sends.Where(s => s.Key is "due" or "claimed" or "deferred").Sum(s => s.Value);
            if (open == 0 || DateTime.UtcNow > deadline)
            {
                return summary.Sends;
            }
            await Task.Delay(500);
        }
    }

    private sealed record Summary(int Subscribers, Dictionary<string, int> Sends);

    /// <summary>Opens the store the host left and judges every answered unsubscribe against the letter it was meant to stop.</summary>
    private Verdicts Check(string data, List<Leaver> leavers, LoadClient.Outcome load)
    {
        using var drip = DripWiring.Build(data, templates, 25, connections);
        var subscribers = drip.GetRequiredService<ISubscriberStore>();
        var outbox = drip.GetRequiredService<IOutboxStore>();
        int unsubscribed = 0, skipped = 0, before = 0, after = 0, other = 0;
        var problems = new List<string>();
        foreach (var answer in load.Answers.Where(a => a.Status == 200))
        {
            var leaver = leavers[answer.Index];
            if (subscribers.Find(leaver.Id)?.Status == SubscriberStatus.Unsubscribed)
            {
                unsubscribed++;
            }
            else
            {
                problems.Add($"{leaver.Id}: answered 200 but not unsubscribed");
            }
            var send = outbox.ForSubscriber(leaver.Id).SingleOrDefault();
            switch (send)
            {
                case { State: OutboxState.Skipped }:
                    skipped++;
                    break;
                case { State: OutboxState.Sent, SentAt: { } at } when at <= answer.At:
                    before++;
                    break;
                case { State: OutboxState.Sent }:
                    after++;
                    break;
                default:
                    other++;
                    problems.Add($"{leaver.Id}: the campaign's send is {send?.State.ToString() ?? "missing"}");
                    break;
            }
        }
        return new Verdicts(unsubscribed, skipped, before, after, other, problems);
    }

    private void Report(LoadClient.Outcome baseline, LoadClient.Outcome load, int sentAtStart, int sentAtEnd,
        Dictionary<string, int> sends, Verdicts verdicts, int received)
    {
        string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        string Ms(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
        var sent = sends.GetValueOrDefault("sent");
        var inFlight = sentAtEnd < sent;
        var table = results.Table($"Unsubscribe under load ({letters:N0}-letter broadcast in flight, {concurrency} concurrent clients, {connections} SMTP connections)",
            "requests", "count", "requests/s", "failed", "p50 ms", "p95 ms", "p99 ms", "ratio");
        table.Add("GET /subscribe, idle host (baseline)", N(baseline.Answers.Count), N(baseline.RequestsPerSecond), N(baseline.Failed),
            Ms(baseline.LatencyPercentile(0.5)), Ms(baseline.LatencyPercentile(0.95)), Ms(baseline.LatencyPercentile(0.99)), "1.00");
        table.Add("POST /u/{token} one-click, during the broadcast", N(load.Answers.Count), N(load.RequestsPerSecond), N(load.Failed),
            Ms(load.LatencyPercentile(0.5)), Ms(load.LatencyPercentile(0.95)), Ms(load.LatencyPercentile(0.99)),
            (load.RequestsPerSecond / baseline.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture));
        Console.WriteLine();
        Console.WriteLine(table.ToText());
        var outcome = $"Of {verdicts.Unsubscribed:N0} answered unsubscribes, all recorded: {verdicts.Problems.Count == 0}; their letters: " +
                      $"{verdicts.Skipped:N0} stopped, {verdicts.SentBefore:N0} already sent before the answer, {verdicts.SentAfter:N0} sent after it " +
                      $"(in flight at the time; the bound is one per SMTP connection, {connections}), {verdicts.Other:N0} otherwise. " +
                      $"The sink received {received:N0} letters for {sent:N0} recorded as sent; the broadcast was " +
                      (inFlight ? $"in flight for the whole load (letters {sentAtStart:N0} to {sentAtEnd:N0} of {sent:N0})." : $"over before the load ended (letters {sentAtStart:N0} to {sentAtEnd:N0}).");
        Console.WriteLine(outcome);
        foreach (var problem in verdicts.Problems.Take(10))
        {
            Console.Error.WriteLine($"  {problem}");
        }
        results.Note(outcome);
        results.Set("unsubscribe_requests_per_s", load.RequestsPerSecond);
        results.Set("unsubscribe_baseline_requests_per_s", baseline.RequestsPerSecond);
        results.Set("unsubscribe_failed", load.Failed);
        results.Set("unsubscribe_p95_ms", load.LatencyPercentile(0.95));
        results.Set("unsubscribe_sent_after_answer", verdicts.SentAfter);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(20);
        }
    }
}
