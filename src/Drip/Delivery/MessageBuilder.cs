using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Turns a rendered letter into the MIME message that goes on the wire: From/To/Subject, a Message-ID
/// derived from the send's idempotency key, List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058),
/// multipart/alternative with the text part first and HTML last, and, when a key is configured, a DKIM signature.
/// Subject and display names pass through <see cref="HeaderText.Clean"/>: they carry subscriber data and template
/// output, and a line break in them would otherwise start a header of the subscriber's choosing.
/// </summary>
public sealed class MessageBuilder(SenderOptions sender, UnsubscribeLinks links, VerpAddress verp, TimeProvider clock, LetterSigner signer)
{
    public MimeMessage Build(OutboxEntry entry, Subscriber subscriber, RenderedLetter letter)
    {
        // Fresh MailboxAddress objects per message: a shared one keeps every message alive through its change event.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(HeaderText.Clean(sender.Name), sender.Address));
        message.To.Add(Recipient(subscriber));
        if (sender.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyBox = MailboxAddress.Parse(replyTo);
            replyBox.Name = HeaderText.Clean(replyBox.Name);
            message.ReplyTo.Add(replyBox);
        }
        message.Subject = HeaderText.Clean(letter.Subject);
        message.Date = clock.GetUtcNow();
        message.MessageId = entry.MessageId ?? IdempotencyKey.MessageId(entry.Id, sender.Domain);

        var unsubscribe = $"<{links.Url(subscriber.Id, entry.LetterId)}>";
        if (links.Mailto(subscriber.Id) is { } mailto)
        {
            unsubscribe += $", <{mailto}>";
        }
        message.Headers.Add("List-Unsubscribe", unsubscribe);
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Feedback-ID", $"{entry.LetterId}:{SourceKind(entry.Source)}:drip");

        var body = new BodyBuilder { TextBody = letter.Text, HtmlBody = letter.Html };
        message.Body = body.ToMessageBody();

        // SMTP allows 998 characters a line: a long field (a 100 KB name pasted into a paragraph) would otherwise make a
        // line a relay refuses or breaks, and a pickup folder keeps the message as written. Parts whose lines are too
        // long get quoted-printable; the rest stay as they are.
        message.Prepare(EncodingConstraint.EightBit, 998);

        // Last: the signature covers the headers and body exactly as they are now.
        signer.Sign(message);
        return message;
    }

    public static MailboxAddress Recipient(Subscriber subscriber) => new(HeaderText.Clean(subscriber.FullName), subscriber.Email);

    /// <summary>The envelope sender (MAIL FROM) for a letter to this subscriber: a VERP address.</summary>
    public MailboxAddress EnvelopeFrom(Guid subscriberId) => verp.For(subscriberId);

    private static string SourceKind(string source) => source.Split(':')[0];
}
