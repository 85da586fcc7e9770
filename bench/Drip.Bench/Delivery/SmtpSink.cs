using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Drip.Bench.Delivery;

/// <summary>
/// Postfix's <c>smtp-sink</c> on a free loopback port: accepts and discards every message. A fresh one per
/// measurement, so no sender inherits another's connections or backlog.
/// </summary>
internal sealed class SmtpSink : IDisposable
{
    public const string SinkPath = "/usr/sbin/smtp-sink";
    public const string SourcePath = "/usr/sbin/smtp-source";

    private readonly Process _process;

    private SmtpSink(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var port = FreePort();
        // -c counts sessions and messages on stdout (discarded); root must drop to -u; 1000 = listen backlog.
        var start = new ProcessStartInfo(SinkPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "-u", "nobody", $"127.0.0.1:{port}", "1000" })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("smtp-sink did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) { Console.Error.WriteLine($"smtp-sink: {e.Data}"); } };
        process.BeginOutputReadLine();
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
        return new SmtpSink(process, port);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
