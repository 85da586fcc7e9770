using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using MimeKit;
using MimeKit.Utils;

namespace Drip.Delivery;

/// <summary>
/// Turns a rendered letter into the MIME message that goes on the wire: From/To/Subject, a Message-ID
/// derived from the send's idempotency key, List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058),
/// multipart/alternative with the text part first and HTML last (<see cref="LetterBody"/>), and, when a key is
/// configured, a DKIM signature. Headers are written in the form MimeKit gives them (<see cref="LetterHeaders"/>).
/// Subject and display names pass through <see cref="HeaderText.Clean"/>: they carry subscriber data and template
/// output, and a line break in them would otherwise start a header of the subscriber's choosing.
/// </summary>
public sealed class MessageBuilder
{
    private readonly SenderOptions _sender;
    private readonly UnsubscribeLinks _links;
    private readonly VerpAddress _verp;
    private readonly TimeProvider _clock;
    private readonly LetterSigner _signer;

    // The same for every letter, so formatted once; each letter gets header objects of its own around these bytes (a
    // header shared between messages would keep every one of them alive through its change event).
    private readonly byte[] _from;
    private readonly byte[]? _replyTo;

    public MessageBuilder(SenderOptions sender, UnsubscribeLinks links, VerpAddress verp, TimeProvider clock, LetterSigner signer)
    {
        _sender = sender;
        _links = links;
        _verp = verp;
        _clock = clock;
        _signer = signer;
        var formatted = new MimeMessage((IEnumerable<Header>)[]);
        formatted.From.Add(new MailboxAddress(HeaderText.Clean(sender.Name), sender.Address));
        _from = formatted.Headers.First(h => h.Id == HeaderId.From).RawValue;
        if (sender.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyBox = MailboxAddress.Parse(replyTo);
            replyBox.Name = HeaderText.Clean(replyBox.Name);
            formatted.ReplyTo.Add(replyBox);
            _replyTo = formatted.Headers.First(h => h.Id == HeaderId.ReplyTo).RawValue;
        }
    }

    /// <summary>The message for <paramref name="letter"/> as rendered for <paramref name="subscriber"/>, sent as <paramref name="entry"/>.</summary>
    /// <param name="entry">The send: its key gives the Message-ID, its letter the Feedback-ID.</param>
    /// <param name="subscriber">The recipient.</param>
    /// <param name="letter">The rendered subject, HTML and text.</param>
    /// <param name="unsubscribeUrl">The letter's unsubscribe link when the caller has signed it already (the dispatcher, for the
    /// letter's footer); signed here otherwise.</param>
    public MimeMessage Build(OutboxEntry entry, Subscriber subscriber, RenderedLetter letter, string? unsubscribeUrl = null)
    {
        // From an empty header list: the parameterless constructor fills in a Date, a Message-ID and more, each replaced
        // below (13.6 against 2.4 µs, 8 against 3 KB a letter).
        var message = new MimeMessage((IEnumerable<Header>)[]);
        var headers = message.Headers;
        headers.Add(LetterHeaders.Preformatted(HeaderId.From, "From", _from));
        LetterHeaders.AddText(headers, HeaderId.Date, "Date", DateUtils.FormatDate(_clock.GetUtcNow()));
        LetterHeaders.AddText(headers, HeaderId.Subject, "Subject", HeaderText.Clean(letter.Subject));
        LetterHeaders.AddText(headers, HeaderId.MessageId, "Message-Id", $"<{entry.MessageId ?? IdempotencyKey.MessageId(entry.Id, _sender.Domain)}>");
        LetterHeaders.AddMailbox(headers, message.To, HeaderId.To, "To", Recipient(subscriber));
        if (_replyTo is not null)
        {
            headers.Add(LetterHeaders.Preformatted(HeaderId.ReplyTo, "Reply-To", _replyTo));
        }
        var unsubscribe = unsubscribeUrl ?? _links.Url(subscriber.Id, entry.LetterId);
        LetterHeaders.AddLinks(headers, "List-Unsubscribe", unsubscribe, _links.Mailto(subscriber.Id));
        LetterHeaders.AddText(headers, HeaderId.Unknown, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        LetterHeaders.AddText(headers, HeaderId.Unknown, "Feedback-ID", $"{entry.LetterId}:{SourceKind(entry.Source)}:drip");
        LetterHeaders.AddText(headers, HeaderId.MimeVersion, "MIME-Version", "1.0");
        message.Body = new LetterBody(letter.Text, letter.Html);

        // Last: the signature covers the headers and body exactly as they are now.
        _signer.Sign(message);
        return message;
    }

    public static MailboxAddress Recipient(Subscriber subscriber) => new(HeaderText.Clean(subscriber.FullName), subscriber.Email);

    /// <summary>The envelope sender (MAIL FROM) for a letter to this subscriber: a VERP address.</summary>
    public MailboxAddress EnvelopeFrom(Guid subscriberId) => _verp.For(subscriberId);

    private static string SourceKind(string source) => source.Split(':')[0];
}
