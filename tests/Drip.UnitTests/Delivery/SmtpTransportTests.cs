using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Drip.Delivery;
using Drip.UnitTests.BadInput;
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Eight_bit_text_goes_as_it_is_to_a_relay_with_8bitmime_and_in_seven_bits_to_one_without(bool eightBitMime)
    {
        await using var server = eightBitMime ? new FakeSmtpServer("8BITMIME") : new FakeSmtpServer();
        var transport = new SmtpTransport(new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SecureSocketOptions.None }, TimeProvider.System);
        var subscriber = LetterFixture.Subscriber();
        var builder = LetterFixture.Builder(LetterSigner.Disabled);
        const string text = "Здравствуйте, Анна!\nНовости недели — со скидкой 20 %.";
        var message = LetterFixture.Build(builder, subscriber, "Новости", text);
        using var session = transport.OpenSession();

        var outcome = await Task.Run(() => session.Send(message, builder.EnvelopeFrom(subscriber.Id), MessageBuilder.Recipient(subscriber), CancellationToken.None));

        Assert.Equal(SendResult.Delivered, outcome.Result);
        var wire = Assert.Single(server.Messages);
        var received = LetterFixture.Reload(System.Text.Encoding.UTF8.GetBytes(wire.Replace("\n", "\r\n")));
        var parts = Assert.IsType<MultipartAlternative>(received.Body).OfType<TextPart>().ToList();
        Assert.Equal(2, parts.Count);
        // Without 8BITMIME, MailKit re-encodes each part (base64 for mostly Cyrillic text) and nothing over 127 goes on the wire.
        ContentEncoding[] allowed = eightBitMime ? [ContentEncoding.EightBit] : [ContentEncoding.QuotedPrintable, ContentEncoding.Base64];
        Assert.All(parts, p => Assert.Contains(p.ContentTransferEncoding, allowed));
        Assert.Equal(eightBitMime, wire.Any(c => c > '\u007F'));
        // 8-bit text is announced as such (RFC 6152), and only then.
        var mailFrom = Assert.Single(server.Commands, c => c.StartsWith("MAIL FROM", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(eightBitMime, mailFrom.Contains("BODY=8BITMIME", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(text, parts[0].Text.ReplaceLineEndings("\n"));
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
