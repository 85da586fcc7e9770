using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Drip.Bench.Delivery;

/// <summary>
/// Postfix's <c>smtp-sink</c> on a free loopback port: accepts and discards every message. A fresh one per
/// measurement, so no sender inherits another's connections or backlog.
/// </summary>
/// <remarks>
/// The sink always runs with <c>-c</c>, the recipe the limit was calibrated with, but only the unsubscribe-under-load
/// bench reads the counter while a send runs. Everywhere else the counter goes to /dev/null: when this process read
/// and parsed every update, its wake-ups took CPU from whichever sender was measured, the limit most of all
/// (100,000 letters, one run each: smtp-source 17,695 letters/s with the counter read, 27,038 without; Drip 9,514
/// and 10,734).
/// </remarks>
internal sealed class SmtpSink : IDisposable
{
    public const string SinkPath = "/usr/sbin/smtp-sink";
    public const string SourcePath = "/usr/sbin/smtp-source";

    private readonly Process _process;
    private int _messages;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>
    /// Messages accepted so far, from the running counter <c>-c</c> writes after each one (<c>sess=N quit=N mesg=N</c>);
    /// always 0 unless the sink was started with <c>counting</c>.
    /// </summary>
    public int Messages => Volatile.Read(ref _messages);

    public static async Task<SmtpSink> StartAsync(bool counting = false)
    {
        var port = Loopback.FreePort();
        // -c counts sessions and messages on stdout; root must drop to -u; 1000 = listen backlog.
        var start = counting ? new ProcessStartInfo(SinkPath) { RedirectStandardOutput = true, RedirectStandardError = true }
            : new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, ArgumentList = { "-c", "exec \"$0\" \"$@\" >/dev/null", SinkPath } };
        foreach (var a in new[] { "-c", "-u", "nobody", $"127.0.0.1:{port}", "1000" })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start");
        var sink = new SmtpSink(process, port);
        if (counting)
        {
            // The counter is written unbuffered, each update ending in a carriage return, which the reader takes as a line end.
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.LastIndexOf("mesg=", StringComparison.Ordinal) is var at and >= 0
                    && int.TryParse(line.AsSpan(at + 5), out var count))
                {
                    Volatile.Write(ref sink._messages, count);
                }
            };
            process.BeginOutputReadLine();
        }
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { Console.Error.WriteLine($"smtp-sink: {e.Data}"); } };
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                await Task.Delay(20);
            }
        }
        return sink;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
