using System.Globalization;
using System.Text.RegularExpressions;

namespace Drip.Inbound;

/// <summary>An RFC 3463 enhanced status code (class.subject.detail) and the text it was read from.</summary>
internal sealed partial record SmtpStatus(int Class, int Subject, string Code, string? SourceLine)
{
    /// <summary>Reads a DSN Status field such as "5.1.1" or "5.0.0 (permanent failure)".</summary>
    public static SmtpStatus? FromStatusField(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var match = LeadingEnhancedCode().Match(value);
        return match.Success ? FromEnhancedMatch(match, sourceLine: null) : null;
    }

    /// <summary>
    /// Finds the first failure or delay status in free text such as a Diagnostic-Code or a bounce body.
    /// Prefers an enhanced code that follows a basic reply code ("550 5.1.1", "550-5.1.1") because a lone
    /// x.y.z can also be a software version; then a lone enhanced code; then a basic code, reported as class.0.0.
    /// </summary>
    public static SmtpStatus? FromText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (var pattern in new[] { ReplyThenEnhancedCode(), LoneEnhancedCode() })
        {
            foreach (Match match in pattern.Matches(text))
            {
                if (match.Groups["class"].Value is "4" or "5")
                {
                    return FromEnhancedMatch(match, LineAround(text, match.Index));
                }
            }
        }

        var basic = BasicReplyCode().Match(text);
        if (!basic.Success)
        {
            return null;
        }

        // RFC 3463 x.0.0 means "other or undefined status" of that class, the honest reading of a bare 550.
        var replyClass = basic.Groups["class"].Value[0] - '0';
        return new SmtpStatus(replyClass, 0, string.Create(CultureInfo.InvariantCulture, $"{replyClass}.0.0"), LineAround(text, basic.Index));
    }

    /// <summary>What a final failure with this status means for the recipient.</summary>
    public ReportKind? FailureKind => (Class, Subject) switch
    {
        (5, 7) => ReportKind.PolicyBlock,
        (5, _) => ReportKind.HardBounce,
        (4, _) => ReportKind.SoftBounce,
        _ => null,
    };

    private static SmtpStatus FromEnhancedMatch(Match match, string? sourceLine)
    {
        var cls = int.Parse(match.Groups["class"].Value, CultureInfo.InvariantCulture);
        var subject = int.Parse(match.Groups["subject"].Value, CultureInfo.InvariantCulture);
        var code = string.Create(CultureInfo.InvariantCulture, $"{cls}.{subject}.{match.Groups["detail"].Value}");
        return new SmtpStatus(cls, subject, code, sourceLine);
    }

    private static string LineAround(string text, int index)
    {
        var start = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

        var end = text.IndexOf('\n', index);
        return Whitespace.Collapse(text[start..(end < 0 ? text.Length : end)]);
    }

    // Lookarounds keep IP addresses (10.4.5.6) and longer codes (5.1.10 vs 5.1.1) from matching partially.
    [GeneratedRegex(@"^\s*(?<class>[245])\.(?<subject>\d{1,3})\.(?<detail>\d{1,3})(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingEnhancedCode();

    [GeneratedRegex(@"(?<![\w.])[245]\d\d[ -]+(?<class>[245])\.(?<subject>\d{1,3})\.(?<detail>\d{1,3})(?!\d|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex ReplyThenEnhancedCode();

    [GeneratedRegex(@"(?<![\w.])(?<class>[245])\.(?<subject>\d{1,3})\.(?<detail>\d{1,3})(?!\d|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex LoneEnhancedCode();

    [GeneratedRegex(@"(?<![\w.:/-])(?<class>[45])[0-5]\d(?=[ -][^\d\s])", RegexOptions.CultureInvariant)]
    private static partial Regex BasicReplyCode();
}
