using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// The MIME parts of a report, found by walking multiparts only: an attached original letter is
/// itself a message with its own parts, and its text must not be mistaken for the report's.
/// </summary>
internal sealed class ReportParts
{
    private ReportParts(MimeMessage message)
    {
        Message = message;
        Walk(message.Body);
    }

    public MimeMessage Message { get; }

    public MultipartReport? Report { get; private set; }

    public MessageDeliveryStatus? DeliveryStatus { get; private set; }

    public MessageFeedbackReport? FeedbackReport { get; private set; }

    /// <summary>The returned letter (message/rfc822) or its headers (text/rfc822-headers), if attached and parseable.</summary>
    public MimeMessage? Original { get; private set; }

    public List<TextPart> TextParts { get; } = [];

    public static ReportParts Of(MimeMessage message) => new(message);

    /// <summary>The human-readable text of the report, plain text preferred, HTML stripped as a last resort.</summary>
    public string BodyText()
    {
        var plain = TextParts.Where(t => t.IsPlain).Select(t => t.Text ?? "").ToList();
        if (plain.Count > 0)
        {
            return string.Join("\n", plain);
        }

        return string.Join("\n", TextParts.Where(t => t.IsHtml).Select(t => HtmlText.Strip(t.Text ?? "")));
    }

    private void Walk(MimeEntity? entity)
    {
        switch (entity)
        {
            case MultipartReport report:
                Report ??= report;
                WalkChildren(report);
                break;
            case Multipart multipart:
                WalkChildren(multipart);
                break;
            case MessageDeliveryStatus status:
                DeliveryStatus ??= status;
                break;
            case MessageFeedbackReport feedback:
                FeedbackReport ??= feedback;
                break;
            case MessagePart attached:
                // TextRfc822Headers is a MessagePart too: MimeKit parses the header block into a body-less message.
                Original ??= attached.Message;
                break;
            case TextPart text when !text.IsAttachment:
                TextParts.Add(text);
                break;
            default:
                break;
        }
    }

    private void WalkChildren(Multipart multipart)
    {
        foreach (var child in multipart)
        {
            Walk(child);
        }
    }
}
