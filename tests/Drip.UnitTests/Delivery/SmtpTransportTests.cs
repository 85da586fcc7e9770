using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Drip.Delivery;
using MailKit.Security;
using MimeKit;

namespace Drip.UnitTests.Delivery;

public sealed class SmtpTransportTests
{
    [Fact]
    public async Task A_relay_that_never_answers_the_connection_is_given_up_within_the_command_timeout()
    {
        // A listener that never accepts: once its queue is full, the kernel leaves new handshakes unanswered, as a relay
        // behind a firewall that drops packets does. Without a bound, connect() would wait for the kernel's two minutes.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var queued = Enumerable.Range(0, 4).Select(_ => ConnectWithoutWaiting(port)).ToList();
        var transport = new SmtpTransport(new SmtpOptions
        {
            Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, CommandTimeout = TimeSpan.FromSeconds(1),
        }, TimeProvider.System);
        using var session = transport.OpenSession();
        var message = new MimeMessage { Subject = "Hello", Body = new TextPart("plain") { Text = "Hello" } };
        message.From.Add(new MailboxAddress("", "news@example.com"));
        message.To.Add(new MailboxAddress("", "ada@example.org"));

        var watch = Stopwatch.StartNew();
        var outcome = await Task.Run(() => session.Send(message, new MailboxAddress("", "bounces@example.com"), new MailboxAddress("", "ada@example.org"),
            CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SendResult.Unreachable, outcome.Result);
        Assert.Contains($"cannot reach 127.0.0.1:{port}", outcome.Detail);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(10));
        queued.ForEach(s => s.Dispose());
    }

    private static Socket ConnectWithoutWaiting(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            socket.Connect(IPAddress.Loopback, port);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            // The handshake goes on without us.
        }
        return socket;
    }
}
