using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using System.Text;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Turns a rendered letter into the MIME message that goes on the wire: From/To/Subject, a Message-ID
/// derived from the send's idempotency key, List-Unsubscribe (RFC 2369) with one-click POST (RFC 8058),
/// multipart/alternative with the text part first and HTML last (UTF-8, in the transfer encoding each part needs), and,
/// when a key is configured, a DKIM signature.
/// Subject and display names pass through <see cref="HeaderText.Clean"/>: they carry subscriber data and template
/// output, and a line break in them would otherwise start a header of the subscriber's choosing.
/// </summary>
public sealed class MessageBuilder(SenderOptions sender, UnsubscribeLinks links, VerpAddress verp, TimeProvider clock, LetterSigner signer)
{
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
        // Fresh MailboxAddress objects per message: a shared one keeps every message alive through its change event.
        message.From.Add(new MailboxAddress(HeaderText.Clean(sender.Name), sender.Address));
        message.Date = clock.GetUtcNow();
        message.Subject = HeaderText.Clean(letter.Subject);
        message.MessageId = entry.MessageId ?? IdempotencyKey.MessageId(entry.Id, sender.Domain);
        message.To.Add(Recipient(subscriber));
        if (sender.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyBox = MailboxAddress.Parse(replyTo);
            replyBox.Name = HeaderText.Clean(replyBox.Name);
            message.ReplyTo.Add(replyBox);
        }

        var unsubscribe = $"<{unsubscribeUrl ?? links.Url(subscriber.Id, entry.LetterId)}>";
        if (links.Mailto(subscriber.Id) is { } mailto)
        {
            unsubscribe += $", <{mailto}>";
        }
        message.Headers.Add("List-Unsubscribe", unsubscribe);
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Feedback-ID", $"{entry.LetterId}:{SourceKind(entry.Source)}:drip");
        message.MimeVersion = MimeVersion;

        // Text first, HTML last: a client shows the last part it can.
        message.Body = new MultipartAlternative { Part("plain", letter.Text), Part("html", letter.Html) };

        // Last: the signature covers the headers and body exactly as they are now.
        signer.Sign(message);
        return message;
    }

    private static readonly Version MimeVersion = new(1, 0);

    /// <summary>
    /// A UTF-8 text part with the transfer encoding SMTP needs. SMTP allows 998 octets a line: a long field (a 100 KB name
    /// pasted into a paragraph) would otherwise make a line a relay refuses or breaks, and a pickup folder keeps the message
    /// as written, so a part with a longer line goes quoted-printable. Otherwise text with octets over 127 goes as 8bit
    /// (8BITMIME) and plain ASCII needs no header. One pass over the bytes decides (MimeKit's Prepare, which decides the
    /// same through its filters, took about as long as the rest of the message).
    /// </summary>
    private static TextPart Part(string subtype, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var encoding = TransferEncoding(bytes);
        // Text that goes as it is (7bit or 8bit) is declared already in that encoding, so MimeKit writes it through its
        // line-ending filter alone; declared raw, it went through a decoder and an encoder that pass it on unchanged.
        var stored = encoding == ContentEncoding.QuotedPrintable ? ContentEncoding.Default : encoding;
        var part = new TextPart(subtype) { Content = new MimeContent(new MemoryStream(bytes, writable: false), stored) };
        part.ContentType.Charset = "utf-8";
        if (encoding != ContentEncoding.Default)
        {
            part.ContentTransferEncoding = encoding;
        }
        return part;
    }

    internal static ContentEncoding TransferEncoding(ReadOnlySpan<byte> text)
    {
        const int MaxLine = 998;
        if (text.Contains((byte)0))
        {
            return ContentEncoding.QuotedPrintable; // a NUL may not travel as it is, in 7bit or 8bit
        }
        var eightBit = text.ContainsAnyExceptInRange((byte)0, (byte)127);
        while (text.Length > 0)
        {
            var end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }
            if (line.Length > MaxLine)
            {
                return ContentEncoding.QuotedPrintable;
            }
            text = end < 0 ? default : text[(end + 1)..];
        }
        return eightBit ? ContentEncoding.EightBit : ContentEncoding.Default;
    }

    public static MailboxAddress Recipient(Subscriber subscriber) => new(HeaderText.Clean(subscriber.FullName), subscriber.Email);

    /// <summary>The envelope sender (MAIL FROM) for a letter to this subscriber: a VERP address.</summary>
    public MailboxAddress EnvelopeFrom(Guid subscriberId) => verp.For(subscriberId);

    private static string SourceKind(string source) => source.Split(':')[0];
}
