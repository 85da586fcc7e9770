using MimeKit;

namespace Drip.Inbound;

/// <summary>Reads an RFC 5965 (ARF) message/feedback-report part.</summary>
internal static class FeedbackReportReader
{
    public static List<DeliveryReport> Read(MessageFeedbackReport feedback, MimeMessage? original, LetterOrigin origin)
    {
        var fields = feedback.Fields;
        var feedbackType = fields["Feedback-Type"]?.Trim().ToLowerInvariant();

        // not-spam is a user rescuing a letter from the spam folder, and auth-failure (RFC 6591) is about our
        // DKIM/SPF, not the recipient; neither is a complaint. Unknown types count as complaints because
        // dropping a real spam click costs more than one extra suppression.
        if (feedbackType is "not-spam" or "auth-failure")
        {
            return [];
        }

        var recipient = Addresses.Clean(fields["Original-Rcpt-To"])
            ?? (original is null ? null : Addresses.Clean(original.To.Mailboxes.FirstOrDefault()?.Address));

        return [new DeliveryReport(ReportKind.Complaint, recipient, Status: null, Diagnostic: null, origin.VerpToken, origin.OriginalMessageId, string.IsNullOrEmpty(feedbackType) ? null : feedbackType)];
    }
}
