using System.Diagnostics;
using System.Text;
using Drip.IntegrationTests.Smtp;
using Xunit.Abstractions;

namespace Drip.IntegrationTests;

/// <summary>
/// The real host as a separate process, killed with SIGKILL at random points of a 5,000-letter campaign and
/// started again over the same LiteDB file: every subscriber gets the letter, repeats stay within the documented
/// bound (at most one per SMTP connection per kill), and the store passes Drip's own integrity check afterwards.
/// </summary>
[Collection(PostfixGroup.Name)]
public sealed class CrashTests(PostfixFixture postfix, ITestOutputHelper output) : IDisposable
{
    private const int Letters = 5000;
    private const int Connections = 4;
    private const int Kills = 3;
    private readonly TestData _data = new();

    [Fact]
    public async Task Host_killed_three_times_mid_campaign_loses_no_letter_and_repeats_at_most_one_per_connection_per_kill()
    {
        // Kill points are random, and the seed is printed so a failing run can be replayed.
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var csv = Path.Combine(_data.DataPath, "subscribers.csv");
        var text = new StringBuilder("email,first_name\n");
        for (var i = 0; i < Letters; i++)
        {
            text.Append(_data.Email($"r{i}")).Append(",Reader").Append(i).Append('\n');
        }
        await File.WriteAllTextAsync(csv, text.ToString());
        Assert.Equal(0, await RunToEndAsync("import", csv));
        Assert.Equal(0, await RunToEndAsync("campaign", "spring-news", "--to", "all"));

        var kills = 0;
        for (var round = 0; round < Kills; round++)
        {
            var before = postfix.ReceivedFor(_data.Domain).Count;
            if (before >= Letters)
            {
                break;
            }
            using var serve = Start("serve");
            try
            {
                var killAt = Math.Min(Letters - 1, before + random.Next(50, Letters / (Kills + 1)));
                await WaitUntilAsync(() => postfix.ReceivedFor(_data.Domain).Count >= killAt, TimeSpan.FromSeconds(120));
                await Task.Delay(random.Next(0, 40)); // not always right after a message lands
            }
            finally
            {
                serve.Kill(); // SIGKILL: no shutdown, no flush (and no host left sending if the wait failed)
                await serve.WaitForExitAsync();
            }
            kills++;
            output.WriteLine($"kill {kills}: {postfix.ReceivedFor(_data.Domain).Count} received");
        }

        using (var last = Start("serve"))
        {
            try
            {
                await WaitUntilAsync(() => postfix.ReceivedFor(_data.Domain).Select(To).Distinct().Count() >= Letters, TimeSpan.FromSeconds(240));
                await Task.Delay(2000); // a repeat, if any were still coming, arrives now
            }
            finally
            {
                last.Kill();
                await last.WaitForExitAsync();
            }
        }

        var received = postfix.ReceivedFor(_data.Domain).Select(To).ToList();
        var repeats = received.Count - received.Distinct().Count();
        output.WriteLine($"{kills} kills, {received.Count} messages for {Letters} subscribers, {repeats} repeated");
        Assert.True(kills >= 1, "the campaign finished before the host could be killed");
        Assert.Equal(Letters, received.Distinct().Count());
        Assert.InRange(repeats, 0, kills * Connections);
        Assert.True(kills >= Kills, $"only {kills} kills landed before the campaign ended");
        var check = await RunToEndWithOutputAsync("check");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("no problems found", check.Output);
    }

    [Fact]
    public async Task Check_tells_of_send_outcomes_a_stopped_process_left_and_still_finds_the_store_sound()
    {
        var data = Path.Combine(_data.DataPath, "data");
        Directory.CreateDirectory(data);
        var clock = TimeProvider.System;
        using (var db = new Drip.Storage.DripDatabase(Path.Combine(data, "drip.db")))
        {
            var outbox = new Drip.Storage.LiteOutboxStore(db);
            var now = clock.GetUtcNow();
            var people = Enumerable.Range(0, 3).Select(i => new Drip.Subscribers.Subscriber
            {
                Id = Guid.NewGuid(), Email = $"reader{i}@example.org", EmailKey = $"reader{i}@example.org", Status = Drip.Subscribers.SubscriberStatus.Active, CreatedAt = now,
            }).ToList();
            new Drip.Storage.LiteSubscriberStore(db).Save(people);
            outbox.Enqueue(people.Select(p => Drip.Outbox.OutboxEntry.Create($"campaign:news:{p.Id}", p.Id, "news", "campaign:news", now, urgent: false, now)).ToList());
            var journal = new Drip.Outbox.OutcomeJournal(Path.Combine(data, "outcomes"),
                new Drip.Changes.GroupCommit(new Drip.Storage.LiteChangeWriter(db, clock)), outbox, clock);
            foreach (var send in outbox.ClaimDue(now, 2, now.AddMinutes(10)))
            {
                send.Close(Drip.Outbox.OutboxState.Sent);
                journal.Record(send, new Drip.History.HistoryEntry { SubscriberId = send.SubscriberId, At = now, OutboxId = send.Id });
            }
            journal.Dispose(); // stopped before the batch's outcomes were stored
        }

        var check = await RunToEndWithOutputAsync("check");

        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("no problems found", check.Output);
        Assert.Contains("2 send outcome(s) recorded by a process that stopped", check.Output);
        Assert.Single(Directory.GetFiles(Path.Combine(data, "outcomes"))); // check changes nothing
    }

    [Fact]
    public async Task A_damaged_store_is_refused_at_start_up_with_a_plain_message_and_left_untouched()
    {
        var store = Path.Combine(_data.DataPath, "data", "drip.db");
        Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        var garbage = new byte[64 * 1024];
        new Random(7).NextBytes(garbage);
        await File.WriteAllBytesAsync(store, garbage);

        var serve = await RunToEndWithOutputAsync("serve");
        var check = await RunToEndWithOutputAsync("check");

        Assert.Equal(1, serve.ExitCode);
        Assert.Contains("cannot be opened as Drip's store", serve.Output);
        Assert.Contains("Drip has not changed it", serve.Output);
        Assert.DoesNotContain("   at ", serve.Output); // a message, not a stack trace
        Assert.Equal(2, check.ExitCode);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(store));
    }

    [Fact]
    public async Task A_store_in_use_by_a_running_host_is_refused_to_a_second_one()
    {
        using var first = Start("serve");
        var lockFile = Path.Combine(_data.DataPath, "data", "host.json");
        await WaitUntilAsync(() => File.Exists(lockFile), TimeSpan.FromSeconds(60));

        var second = await RunToEndWithOutputAsync("serve");
        var check = await RunToEndWithOutputAsync("check");

        first.Kill();
        await first.WaitForExitAsync();
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("in use by another Drip process", second.Output);
        Assert.Equal(2, check.ExitCode);
        Assert.Contains("in use by another Drip process", check.Output);
    }

    private static string To(MimeKit.MimeMessage m) => m.To.Mailboxes.Single().Address;

    private Process Start(params string[] args) => Start(args, null);

    private Process Start(string[] args, Action<string>? seen)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _data.DataPath,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Drip.Web.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        var settings = TestSettings.For(Path.Combine(_data.DataPath, "data"), postfix.Port);
        settings["Smtp:Connections"] = Connections.ToString();
        settings["Dispatch:Interval"] = "00:00:01";
        settings["Dispatch:BatchSize"] = "500";
        settings["Urls"] = "http://127.0.0.1:0";
        foreach (var (name, value) in settings.AsEnvironment())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{args[0]}] {e.Data}"); seen?.Invoke(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{args[0]}!] {e.Data}"); seen?.Invoke(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task<(int ExitCode, string Output)> RunToEndWithOutputAsync(params string[] args)
    {
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Start(args, lines.Enqueue);
        await process.WaitForExitAsync();
        return (process.ExitCode, string.Join('\n', lines));
    }

    private async Task<int> RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the condition did not hold in time");
            }
            await Task.Delay(50);
        }
    }

    public void Dispose() => _data.Dispose();
}
