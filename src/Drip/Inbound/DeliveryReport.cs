namespace Drip.Inbound;

/// <summary>One per failed or delayed recipient of a delivery report, or one per complaint.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Recipient">The recipient address without "rfc822;" or angle brackets; null when the report redacts or omits it.</param>
/// <param name="Status">The RFC 3463 enhanced status code ("5.1.1"); for reports that only give a basic SMTP code this is "5.0.0" or "4.0.0". Null for complaints.</param>
/// <param name="Diagnostic">The remote server's reply, whitespace collapsed and without the "smtp;" diagnostic type.</param>
/// <param name="VerpToken">The token from the "bounces+TOKEN@" envelope sender the letter went out with.</param>
/// <param name="OriginalMessageId">The Message-ID of the letter the report is about, without angle brackets.</param>
/// <param name="FeedbackType">The ARF Feedback-Type in lower case ("abuse"); null for bounces.</param>
public sealed record DeliveryReport(
    ReportKind Kind,
    string? Recipient,
    string? Status,
    string? Diagnostic,
    string? VerpToken,
    string? OriginalMessageId,
    string? FeedbackType);
