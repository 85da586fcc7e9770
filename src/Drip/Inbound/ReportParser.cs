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
        try
        {
            return ParseReport(message, verpPrefix);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or RegexMatchTimeoutException or NotSupportedException)
        {
            // MimeKit parses report parts lazily, so a mangled part can throw here rather than at load time.
            // A report we cannot read must not stop the mailbox poller; it will be left for a person.
            return [];
        }
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

        if (parts.DeliveryStatus is { } status)
        {
            var fromStatus = DeliveryStatusReader.Read(status, LetterOrigin.Find(parts, verpPrefix, bodyText));
            if (fromStatus.Count > 0 || HasRecipientGroups(status))
            {
                return fromStatus;
            }

            // A delivery-status part without recipient groups is as good as missing; fall back to the text.
        }

        if (parts.FeedbackReport is { } feedback)
        {
            return FeedbackReportReader.Read(feedback, parts.Original, LetterOrigin.Find(parts, verpPrefix, bodyText));
        }

        if (IsAutoReply(message) || !PlainTextBounceReader.LooksLikeBounce(message, parts))
        {
            return [];
        }

        return PlainTextBounceReader.Read(message, bodyText, LetterOrigin.Find(parts, verpPrefix, bodyText));
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
