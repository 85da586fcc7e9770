using System.Diagnostics;
using System.Net;

namespace Drip.Bench.Load;

/// <summary>
/// The real Drip host (<c>Drip.Web.dll serve</c>) as a process of its own, configured through environment
/// variables, so a load measured from the bench's process crosses a real socket into a real server.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HostProcess> StartAsync(Dictionary<string, string?> settings, string workingDirectory)
    {
        var port = Loopback.FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Drip.Web.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (name, value) in settings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }
        start.Environment["Urls"] = address.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the Drip host did not start");
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { Console.WriteLine($"  host: {e.Data}"); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { Console.Error.WriteLine($"  host: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the Drip host exited with {process.ExitCode} before it answered");
            }
            try
            {
                using var answer = await probe.GetAsync("/subscribe");
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    return new HostProcess(process, address);
                }
            }
            catch (HttpRequestException) when (watch.Elapsed < TimeSpan.FromSeconds(60))
            {
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the host as an operator would (SIGTERM), so it finishes the letter in flight and closes the store.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
