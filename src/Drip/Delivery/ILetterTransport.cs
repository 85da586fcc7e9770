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

/// <summary>One sending session (one SMTP connection). Not thread-safe.</summary>
public interface ITransportSession : IAsyncDisposable
{
    Task<SendOutcome> SendAsync(MimeMessage message, MailboxAddress envelopeFrom, MailboxAddress recipient, CancellationToken cancellationToken);
}
