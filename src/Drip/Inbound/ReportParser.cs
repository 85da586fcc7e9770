using System.Text.RegularExpressions;
using MimeKit;

namespace Drip.Inbound;

/// <summary>Turns messages from the bounce/complaint mailbox into per-recipient delivery reports.</summary>
public static partial class ReportParser
{
    private static readonly TimeSpan s_regexBudget = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Reads a message that arrived in the bounce/complaint mailbox. Returns an empty list for anything that is
    /// not a delivery report or complaint (auto-replies, ordinary mail). Never throws on malformed reports:
    /// it returns what it could read.
    /// </summary>
    public static IReadOnlyList<DeliveryReport> Parse(MimeMessage message, string verpPrefix = "bounces")
    {
        ArgumentNullException.ThrowIfNull(message);
        return Safely(() => ParseReport(message, verpPrefix)) ?? [];
    }

    /// <summary>
    /// Extracts TOKEN from an address like "bounces+TOKEN@news.example.com" (prefix compared case-insensitively;
    /// TOKEN returned with its case preserved); null otherwise. The address may carry angle brackets or a display name.
    /// </summary>
    public static string? VerpToken(string? address, string verpPrefix = "bounces")
    {
        if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(verpPrefix))
        {
            return null;
        }

        // The token alphabet is base64url plus dots; the lookbehind stops "xbounces+" matching "bounces+".
        var pattern = @"(?<![A-Za-z0-9_.+-])" + Regex.Escape(verpPrefix) + @"\+(?<token>[A-Za-z0-9_.-]+)@[A-Za-z0-9-]";
        var match = Regex.Match(address, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, s_regexBudget);
        return match.Success ? match.Groups["token"].Value : null;
    }

    private static List<DeliveryReport> ParseReport(MimeMessage message, string verpPrefix)
    {
        var parts = ReportParts.Of(message);
        var bodyText = parts.BodyText();
        var origin = LetterOrigin.Find(parts, verpPrefix, bodyText);

        if (parts.DeliveryStatus is { } status)
        {
            // A delivery-status part that cannot be read or has no recipient groups is as good as missing;
            // the human-readable text usually still names the recipient and the reply.
            var fromStatus = Safely(() => HasRecipientGroups(status) ? DeliveryStatusReader.Read(status, origin) : null);
            if (fromStatus is not null)
            {
                return fromStatus;
            }
        }

        if (parts.FeedbackReport is { } feedback)
        {
            return FeedbackReportReader.Read(feedback, parts.Original, origin);
        }

        if (IsAutoReply(message) || !PlainTextBounceReader.LooksLikeBounce(message, parts))
        {
            return [];
        }

        return PlainTextBounceReader.Read(message, bodyText, origin);
    }

    /// <summary>
    /// MimeKit parses report parts lazily, so a mangled part throws when read rather than when the message is loaded.
    /// A report we cannot read must not stop the mailbox poller, and one broken part must not hide the rest.
    /// </summary>
    private static List<DeliveryReport>? Safely(Func<List<DeliveryReport>?> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or RegexMatchTimeoutException or NotSupportedException or IOException)
        {
            return null;
        }
    }

    private static bool HasRecipientGroups(MessageDeliveryStatus status) =>
        status.StatusGroups.Any(g => g.Contains("Final-Recipient") || g.Contains("Original-Recipient"));

    /// <summary>
    /// Vacation replies by their subject. Auto-Submitted alone proves nothing: Postfix, Exim and Gmail mark their
    /// bounces "auto-replied" too, so a failure-looking subject or a mail-system sender still gets read.
    /// </summary>
    private static bool IsAutoReply(MimeMessage message) => OutOfOfficeSubject().IsMatch(message.Subject ?? "");

    [GeneratedRegex(@"^\s*(out of (the )?office|automatic reply|auto(matic)?[- ]?(reply|response)|auto:|abwesend|abwesenheitsnotiz|absence|r[ée]ponse automatique|vacation)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutOfOfficeSubject();
}
