using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Drip.IntegrationTests.Smtp;

/// <summary>
/// An SMTP proxy of the tests' own in front of the real Postfix, which misbehaves on request the way relays do:
/// down (nothing listening), 421 on connect, temporary or permanent refusals for chosen recipients, the connection
/// dropped in the middle of DATA, slow replies, and a STARTTLS offer taken out of EHLO. Everything it does not
/// change passes through to Postfix line by line, so what arrives is what the real server accepted.
/// </summary>
public sealed class FaultySmtpProxy : IAsyncDisposable
{
    private readonly int _upstream;
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    public FaultySmtpProxy(int upstreamPort)
    {
        _upstream = upstreamPort;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    /// <summary>While set, every new connection is greeted with 421 and closed.</summary>
    public bool RefuseWith421 { get; set; }

    /// <summary>Replies held back this long each, as a slow relay does.</summary>
    public TimeSpan ReplyDelay { get; set; }

    /// <summary>RCPT replies for recipients whose address contains the key (e.g. "tempfail-" → "451 4.7.1 try later").</summary>
    public Dictionary<string, string> RecipientReplies { get; } = new(StringComparer.OrdinalIgnoreCase);

    private int _dropNextData;

    /// <summary>Cuts off the next <paramref name="count"/> DATA transfers halfway (the connection is dropped).</summary>
    public void DropNextData(int count) => Interlocked.Exchange(ref _dropNextData, count);

    /// <summary>Take STARTTLS out of the EHLO reply.</summary>
    public bool HideStartTls { get; set; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => _connections;

    private int _connections;
    private int _openNow;
    private int _mostAtOnce;

    /// <summary>The most client connections that were open at the same moment.</summary>
    public int MostAtOnce => _mostAtOnce;

    public bool IsUp => _listener is not null;

    /// <summary>Starts listening (again); until then the port refuses connections, like a relay that is down.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            return;
        }
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        var listener = _listener;
        _accepting = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => ServeAsync(client));
            }
        });
    }

    /// <summary>Stops listening: new connections are refused. Connections already open are cut.</summary>
    public async Task StopAsync()
    {
        var listener = _listener;
        _listener = null;
        listener?.Stop();
        await _accepting;
        foreach (var open in _open.Keys)
        {
            open.Dispose();
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<TcpClient, bool> _open = new();

    private async Task ServeAsync(TcpClient client)
    {
        var now = Interlocked.Increment(ref _openNow);
        int most;
        while (now > (most = _mostAtOnce) && Interlocked.CompareExchange(ref _mostAtOnce, now, most) != most)
        {
        }
        _open[client] = true;
        using var server = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            var down = client.GetStream();
            var toClient = new StreamWriter(down, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            if (RefuseWith421)
            {
                await toClient.WriteLineAsync("421 4.3.2 Service not available, closing transmission channel");
                return;
            }
            await server.ConnectAsync(IPAddress.Loopback, _upstream);
            _open[server] = true;
            var up = server.GetStream();
            var fromServer = new StreamReader(up, Encoding.UTF8);
            var toServer = new StreamWriter(up, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            var fromClient = new StreamReader(down, Encoding.UTF8);

            await RelayReplyAsync(fromServer, toClient, hideStartTls: false); // greeting
            while (await fromClient.ReadLineAsync() is { } command)
            {
                var verb = command.Split(' ', 2)[0].ToUpperInvariant();
                if (verb == "RCPT" && RecipientReplies.FirstOrDefault(r => command.Contains(r.Key, StringComparison.OrdinalIgnoreCase)) is { Key: not null } rule)
                {
                    await DelayAsync();
                    await toClient.WriteLineAsync(rule.Value); // Postfix never hears of this recipient
                    continue;
                }
                await toServer.WriteLineAsync(command);
                await RelayReplyAsync(fromServer, toClient, HideStartTls && verb is "EHLO");
                if (verb == "DATA")
                {
                    var cut = Interlocked.Decrement(ref _dropNextData) >= 0;
                    if (!cut)
                    {
                        Interlocked.Increment(ref _dropNextData);
                    }
                    var lines = 0;
                    while (await fromClient.ReadLineAsync() is { } line)
                    {
                        if (cut && ++lines == 10)
                        {
                            return; // both connections close mid-message: Postfix discards it, the client sees a dropped link
                        }
                        await toServer.WriteLineAsync(line);
                        if (line == ".")
                        {
                            await RelayReplyAsync(fromServer, toClient, false);
                            break;
                        }
                    }
                }
                if (verb == "QUIT")
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // A dropped link is one of the faults; nothing to do but let go.
        }
        finally
        {
            Interlocked.Decrement(ref _openNow);
            _open.TryRemove(client, out _);
            _open.TryRemove(server, out _);
            client.Dispose();
        }
    }

    private async Task RelayReplyAsync(StreamReader fromServer, StreamWriter toClient, bool hideStartTls)
    {
        await DelayAsync();
        var reply = new List<string>();
        while (await fromServer.ReadLineAsync() is { } line)
        {
            reply.Add(line);
            if (line.Length < 4 || line[3] != '-')
            {
                break;
            }
        }
        if (hideStartTls)
        {
            reply = reply.Where(l => !l[4..].StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase)).ToList();
            // Re-mark the continuation: every line but the last has '-' after the code.
            reply = reply.Select((l, i) => l[..3] + (i == reply.Count - 1 ? ' ' : '-') + l[4..]).ToList();
        }
        foreach (var line in reply)
        {
            await toClient.WriteLineAsync(line);
        }
    }

    private Task DelayAsync() => ReplyDelay > TimeSpan.Zero ? Task.Delay(ReplyDelay) : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await StopAsync();
        _stop.Dispose();
    }
}
