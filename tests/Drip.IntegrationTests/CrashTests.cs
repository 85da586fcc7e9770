using System.Diagnostics;
using System.Text;
using Drip.IntegrationTests.Smtp;
using Xunit.Abstractions;

namespace Drip.IntegrationTests;

/// <summary>
/// The real host as a separate process, killed with SIGKILL in the middle of a campaign and started
/// again over the same LiteDB file: every subscriber gets the letter, and repeats stay within the
/// documented bound (at most one per SMTP connection per kill).
/// </summary>
[Collection(PostfixGroup.Name)]
public sealed class CrashTests(PostfixFixture postfix, ITestOutputHelper output) : IDisposable
{
    private const int Letters = 1500;
    private const int Connections = 4;
    private const int Kills = 3;
    private readonly TestData _data = new();

    [Fact]
    public async Task Host_killed_three_times_mid_campaign_loses_no_letter_and_repeats_at_most_one_per_connection_per_kill()
    {
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
            await WaitUntilAsync(() => postfix.ReceivedFor(_data.Domain).Count >= Math.Min(Letters, before + 120), TimeSpan.FromSeconds(60));
            serve.Kill(); // SIGKILL: no shutdown, no flush
            await serve.WaitForExitAsync();
            kills++;
            output.WriteLine($"kill {kills}: {postfix.ReceivedFor(_data.Domain).Count} received");
        }

        using (var last = Start("serve"))
        {
            await WaitUntilAsync(() => postfix.ReceivedFor(_data.Domain).Select(To).Distinct().Count() >= Letters, TimeSpan.FromSeconds(90));
            await Task.Delay(2000); // a repeat, if any were still coming, arrives now
            last.Kill();
            await last.WaitForExitAsync();
        }

        var received = postfix.ReceivedFor(_data.Domain).Select(To).ToList();
        var repeats = received.Count - received.Distinct().Count();
        output.WriteLine($"{kills} kills, {received.Count} messages for {Letters} subscribers, {repeats} repeated");
        Assert.True(kills >= 1, "the campaign finished before the host could be killed");
        Assert.Equal(Letters, received.Distinct().Count());
        Assert.InRange(repeats, 0, kills * Connections);
    }

    private static string To(MimeKit.MimeMessage m) => m.To.Mailboxes.Single().Address;

    private Process Start(params string[] args)
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
        settings["Dispatch:BatchSize"] = "100";
        settings["Urls"] = "http://127.0.0.1:0";
        foreach (var (name, value) in settings.AsEnvironment())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{args[0]}] {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.WriteLine($"[{args[0]}!] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
