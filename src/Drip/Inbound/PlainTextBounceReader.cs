using System.Text.RegularExpressions;
using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Reads bounces written for people rather than machines: Exim's "Mail delivery failed", qmail's
/// "failure notice", older Exchange NDRs, and DSNs whose delivery-status part got lost on the way.
/// </summary>
internal static partial class PlainTextBounceReader
{
    public static bool LooksLikeBounce(MimeMessage message, ReportParts parts)
    {
        var reportType = parts.Report?.ReportType;
        return string.Equals(reportType, "delivery-status", StringComparison.OrdinalIgnoreCase)
            || FromMailSystem(message)
            || BounceSubject().IsMatch(message.Subject ?? "");
    }

    public static List<DeliveryReport> Read(MimeMessage message, string bodyText, LetterOrigin origin)
    {
        var explanation = WithoutReturnedCopy(bodyText);
        var overall = SmtpStatus.FromText(explanation);
        if (overall is null)
        {
            // No status, no report: a "Mail delivery failed" subject alone is also what phishing looks like.
            return [];
        }

        var delayed = overall.Class == 4 && DelayWording().IsMatch(explanation + "\n" + message.Subject);
        var reports = new List<DeliveryReport>();
        foreach (var (recipient, block) in RecipientBlocks(message, explanation))
        {
            var status = SmtpStatus.FromText(block) ?? overall;
            var kind = delayed && status.Class == 4 ? ReportKind.Delayed : status.FailureKind;
            if (kind is { } known)
            {
                reports.Add(new DeliveryReport(known, recipient, status.Code, status.SourceLine, origin.VerpToken, origin.OriginalMessageId, FeedbackType: null));
            }
        }

        return reports;
    }

    private static bool FromMailSystem(MimeMessage message)
    {
        return message.From.Mailboxes.Concat(message.Sender is null ? [] : [message.Sender]).Any(mailbox =>
        {
            var local = mailbox.LocalPart;
            return string.Equals(local, "mailer-daemon", StringComparison.OrdinalIgnoreCase)
                || string.Equals(local, "postmaster", StringComparison.OrdinalIgnoreCase);
        });
    }

    /// <summary>The bounce's own explanation, without the quoted original whose digits could pass for status codes.</summary>
    private static string WithoutReturnedCopy(string bodyText)
    {
        var marker = ReturnedCopyMarker().Match(bodyText);
        return marker.Success ? bodyText[..marker.Index] : bodyText;
    }

    /// <summary>
    /// Each failed address with the text that follows it up to the next address: Exim and qmail list
    /// "  ada@example.org" or "&lt;ada@example.org&gt;:" on a line of its own, then the remote server's reply.
    /// </summary>
    private static IEnumerable<(string? Recipient, string Block)> RecipientBlocks(MimeMessage message, string explanation)
    {
        // The bounce's own addressee (our VERP return path) is never the failed recipient, wherever the text quotes it.
        var ownAddresses = message.To.Mailboxes.Select(m => m.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var lines = AddressLine().Matches(explanation)
            .Select(m => (Address: Addresses.Clean(m.Groups["address"].Value), m.Index))
            .Where(a => a.Address is not null && !IsMailSystemAddress(a.Address) && !ownAddresses.Contains(a.Address))
            .ToList();

        if (lines.Count > 0)
        {
            // Wrapped replies can start a line with the address again; one block per address, in order of appearance.
            var blocks = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var order = new List<string>();
            for (var i = 0; i < lines.Count; i++)
            {
                var end = i + 1 < lines.Count ? lines[i + 1].Index : explanation.Length;
                var address = lines[i].Address!;
                if (!blocks.ContainsKey(address))
                {
                    order.Add(address);
                }

                blocks[address] = blocks.GetValueOrDefault(address, "") + explanation[lines[i].Index..end];
            }

            return order.Select(a => ((string?)a, blocks[a]));
        }

        var failed = message.Headers["X-Failed-Recipients"]?.Split(',').Select(Addresses.Clean).OfType<string>().ToList() ?? [];
        if (failed.Count == 0)
        {
            failed = RcptTo().Matches(explanation).Select(m => Addresses.Clean(m.Groups["address"].Value)).OfType<string>()
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        return failed.Count > 0
            ? failed.Select(a => ((string?)a, explanation))
            : [(null, explanation)];
    }

    private static bool IsMailSystemAddress(string address) =>
        address.StartsWith("mailer-daemon@", StringComparison.OrdinalIgnoreCase)
        || address.StartsWith("postmaster@", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"mail delivery failed|undeliver|delivery status notification \((failure|delay)\)|returned mail|failure notice|delivery failure|could not be delivered|warning: message .* delayed|delivery (has )?failed", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"delayed|will (continue|keep) (trying|to try)|attempts will continue|still (be )?(trying|retr)|not yet been delivered|will be retried", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DelayWording();

    [GeneratedRegex(@"^[ \t]*(-{2,}[^\n]*(copy of the|original message|message follows|returned message)|Original message headers:)", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ReturnedCopyMarker();

    [GeneratedRegex(@"^[ \t]*<?(?<address>[^\s<>@:;,""]+@[A-Za-z0-9.-]+)>?[ \t]*(:|\r?$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"RCPT TO:\s*<(?<address>[^>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RcptTo();
}
