using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Turns a rendered letter into the MIME message that goes on the wire: From/To/Subject, a Message-ID
/// derived from the send's idempotency key, List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058),
/// and multipart/alternative with the text part first and HTML last.
/// </summary>
public sealed class MessageBuilder(SenderOptions sender, UnsubscribeLinks links, VerpAddress verp, TimeProvider clock)
{
    public MimeMessage Build(OutboxEntry entry, Subscriber subscriber, RenderedLetter letter)
    {
        // Fresh MailboxAddress objects per message: a shared one keeps every message alive through its change event.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(sender.Name, sender.Address));
        message.To.Add(Recipient(subscriber));
        if (sender.ReplyTo is { Length: > 0 } replyTo)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }
        message.Subject = letter.Subject;
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
        return message;
    }

    public static MailboxAddress Recipient(Subscriber subscriber) => new(subscriber.FullName ?? "", subscriber.Email);

    /// <summary>The envelope sender (MAIL FROM) for a letter to this subscriber: a VERP address.</summary>
    public MailboxAddress EnvelopeFrom(Guid subscriberId) => verp.For(subscriberId);

    private static string SourceKind(string source) => source.Split(':')[0];
}
