using MimeKit;

namespace Drip.Delivery;

/// <summary>Where finished messages go: an SMTP relay or the pickup folder.</summary>
public interface ILetterTransport
{
    /// <summary>How many sessions may send at once.</summary>
    int Connections { get; }

    /// <summary>Opens one session; a session is used by one worker at a time and kept for many letters.</summary>
    ITransportSession OpenSession();
}

/// <summary>
/// One sending session (one SMTP connection). Not thread-safe. Synchronous on purpose: the dispatcher gives each session
/// a thread of its own, and a blocking socket answers each SMTP round trip straight to that thread, where an asynchronous
/// one went through the runtime's socket event thread and a thread-pool hand-off (a sixth more letters a second, a
/// tenth to a seventh less CPU a letter, measured against the sink).
/// </summary>
public interface ITransportSession : IDisposable
{
    /// <summary>
    /// Sends one message to one recipient and says what the server answered. Blocks until then; the token is checked
    /// while connecting or waiting for the send rate, not in the middle of a transaction.
    /// </summary>
    SendOutcome Send(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken);
}
