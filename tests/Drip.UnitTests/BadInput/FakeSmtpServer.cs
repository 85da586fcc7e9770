using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Drip.UnitTests.BadInput;

/// <summary>
/// A minimal SMTP server on a loopback port that accepts everything and keeps every command line and message
/// exactly as the bytes arrived (UTF-8), announcing only the extensions it is given (so a test can leave out SMTPUTF8).
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string[] _extensions;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _commands = [];
    private readonly List<string> _messages = [];

    public FakeSmtpServer(params string[] extensions)
    {
        _extensions = extensions;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_commands)
            {
                return [.. _commands];
            }
        }
    }

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, new UTF8Encoding(false));
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 fake.test ESMTP");
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_commands)
            {
                _commands.Add(line);
            }
            var verb = line.Split(' ', ':')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    var lines = new[] { "fake.test" }.Concat(_extensions).ToArray();
                    for (var i = 0; i < lines.Length; i++)
                    {
                        await writer.WriteLineAsync($"250{(i == lines.Length - 1 ? ' ' : '-')}{lines[i]}");
                    }
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 go ahead");
                    var message = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                        message.Append(data).Append('\n');
                    }
                    lock (_messages)
                    {
                        _messages.Add(message.ToString());
                    }
                    await writer.WriteLineAsync("250 2.0.0 queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
