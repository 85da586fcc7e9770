using MimeKit;

namespace Drip.Inbound;

/// <summary>Reads the per-recipient groups of an RFC 3464 message/delivery-status part.</summary>
internal static class DeliveryStatusReader
{
    public static List<DeliveryReport> Read(MessageDeliveryStatus status, LetterOrigin origin)
    {
        var reports = new List<DeliveryReport>();
        foreach (var group in status.StatusGroups)
        {
            // Identified by content rather than position: mangled DSNs drop the per-message group
            // or put the recipient fields in it, and the per-message group has none of these fields.
            if (!IsRecipientGroup(group))
            {
                continue;
            }

            if (ReadRecipient(group, origin) is { } report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }

    private static bool IsRecipientGroup(HeaderList group) =>
        group.Contains("Final-Recipient") || group.Contains("Original-Recipient") || group.Contains("Action") || group.Contains("Status");

    private static DeliveryReport? ReadRecipient(HeaderList group, LetterOrigin origin)
    {
        var action = group["Action"]?.Trim().ToUpperInvariant();
        if (action is "DELIVERED" or "RELAYED" or "EXPANDED")
        {
            return null;
        }

        var diagnostic = WithoutType(group["Diagnostic-Code"]);
        var status = BestStatus(SmtpStatus.FromStatusField(group["Status"]), SmtpStatus.FromText(diagnostic));
        var recipient = Addresses.Clean(WithoutType(group["Original-Recipient"])) ?? Addresses.Clean(WithoutType(group["Final-Recipient"]));

        ReportKind? kind = action == "DELAYED"
            ? ReportKind.Delayed
            // "failed", a missing Action, or one we do not know: RFC 3464 makes Action required and "failed" the only other
            // outcome, so the status decides. A failure without any status is still permanent by definition.
            : status is null ? (action == "FAILED" ? ReportKind.HardBounce : null) : status.FailureKind;

        return kind is null
            ? null
            : new DeliveryReport(kind.Value, recipient, status?.Code, diagnostic, origin.VerpToken, origin.OriginalMessageId, FeedbackType: null);
    }

    /// <summary>
    /// Some MTAs put a generic x.0.0 in Status while the remote reply in Diagnostic-Code is specific
    /// ("Status: 5.0.0" for "550-5.7.26 unauthenticated"); the specific code decides hard bounce vs policy block.
    /// </summary>
    private static SmtpStatus? BestStatus(SmtpStatus? field, SmtpStatus? fromDiagnostic)
    {
        if (field is null)
        {
            return fromDiagnostic;
        }

        var fieldIsGeneric = field.Code.EndsWith(".0.0", StringComparison.Ordinal);
        return fieldIsGeneric && fromDiagnostic is not null && fromDiagnostic.Class == field.Class && fromDiagnostic.Subject != 0
            ? fromDiagnostic
            : field;
    }

    /// <summary>Drops the RFC 3464 type prefix ("rfc822;", "smtp;", "utf-8;") and folds the value onto one line.</summary>
    private static string? WithoutType(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        var typed = semicolon > 0 && value[..semicolon].Trim() is { Length: > 0 } type && type.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
        var rest = Whitespace.Collapse(typed ? value[(semicolon + 1)..] : value);
        return rest.Length == 0 ? null : rest;
    }
}
