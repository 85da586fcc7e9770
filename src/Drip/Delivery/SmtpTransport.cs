using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Sends through an SMTP relay with MailKit: one connection per session, reused across letters, on a
/// blocking socket with Nagle off (MailKit's own connect stalls ~44 ms per message on loopback). One recipient
/// per transaction, so one refusal never takes another person's letter with it.
/// </summary>
public sealed class SmtpTransport(SmtpOptions options, TimeProvider clock) : ILetterTransport
{
    private readonly SendRate _rate = new(options.MessagesPerSecond, clock);

    public int Connections => options.Connections;

    public ITransportSession OpenSession() => new Session(options, clock, _rate);

    private sealed class Session(SmtpOptions options, TimeProvider clock, SendRate rate) : ITransportSession
    {
        private SmtpClient? _client;
        private DateTimeOffset _lastUsed;

        public SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken)
        {
            SmtpClient client;
            try
            {
                client = Connected(cancellationToken);
            }
            catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or TimeoutException
                                          or SslHandshakeException or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException or SmtpCommandException or NotSupportedException
                                          or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Drop();
                return new SendOutcome(SendResult.Unreachable, (e as SmtpCommandException)?.StatusCode is { } s ? (int)s : null,
                    $"cannot reach {options.Host}:{options.Port}: {e.Message}");
            }
            if (!client.Capabilities.HasFlag(SmtpCapabilities.UTF8) && (HasUtf8LocalPart(recipient) || HasUtf8LocalPart(envelopeFrom)))
            {
                // Without SMTPUTF8 (RFC 6531) a non-ASCII local part has no correct form on the wire (the domain does:
                // punycode); sending it anyway would reach someone else or no one. The letter waits for a relay that can.
                return new SendOutcome(SendResult.Transient, null,
                    $"{recipient.Address} has a non-ASCII local part and {options.Host} does not offer SMTPUTF8; not sent rather than sent mangled");
            }
            try
            {
                rate.Wait(cancellationToken);
                client.Send(message, envelopeFrom, [recipient], cancellationToken);
                _lastUsed = clock.GetUtcNow();
                return SendOutcome.Delivered;
            }
            catch (SmtpCommandException e)
            {
                // MailKit has sent RSET; the connection is still good for the next letter.
                _lastUsed = clock.GetUtcNow();
                var code = (int)e.StatusCode;
                var result = code >= 500 ? SendResult.Permanent : SendResult.Transient;
                return new SendOutcome(result, code, $"{code} {e.Message.Trim()}")
                {
                    IsRecipientRefusal = e.ErrorCode == SmtpErrorCode.RecipientNotAccepted,
                };
            }
            catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
                                          or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                Drop();
                return new SendOutcome(SendResult.Transient, null, $"connection lost: {e.Message}");
            }
        }

        private static bool HasUtf8LocalPart(MailboxAddress address) => address.LocalPart.Any(c => c > '\u007F');

        private SmtpClient Connected(CancellationToken cancellationToken)
        {
            if (_client is { IsConnected: true } && clock.GetUtcNow() - _lastUsed < options.IdleTimeout)
            {
                return _client;
            }
            Drop();
            cancellationToken.ThrowIfCancellationRequested();
            // Blocking from the first call: a socket that has made one asynchronous call (MailKit's own connect makes one)
            // stays with the runtime's event thread for good, and its blocking calls are then waits on that thread. On a
            // blocking socket Linux bounds connect() by the send timeout, so an unanswered relay still fails in CommandTimeout.
            var timeout = (int)options.CommandTimeout.TotalMilliseconds;
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = timeout, ReceiveTimeout = timeout };
            var client = new SmtpClient { Timeout = timeout };
            try
            {
                socket.Connect(options.Host!, options.Port);
                client.Connect(socket, options.Host!, options.Port, options.Security, cancellationToken);
                if (!string.IsNullOrEmpty(options.Username))
                {
                    client.Authenticate(options.Username, options.Password ?? "", cancellationToken);
                }
            }
            catch
            {
                client.Dispose();
                socket.Dispose();
                throw;
            }
            _client = client;
            _lastUsed = clock.GetUtcNow();
            return client;
        }

        private void Drop()
        {
            if (_client is null)
            {
                return;
            }
            try
            {
                if (_client.IsConnected)
                {
                    // Bounded: a relay that stopped answering gets a short goodbye, not the full command timeout.
                    _client.Timeout = (int)TimeSpan.FromSeconds(2).TotalMilliseconds;
                    _client.Disconnect(true);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException or TimeoutException)
            {
                // Already broken: nothing to say goodbye to.
            }
            _client.Dispose();
            _client = null;
        }

        public void Dispose() => Drop();
    }
}
