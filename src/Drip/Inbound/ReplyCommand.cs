using System.Text.RegularExpressions;
using MimeKit;

namespace Drip.Inbound;

/// <summary>
/// Recognises a reply that asks to leave (DOMAIN §6: "reply with DELETE to unsubscribe"): the new text of the
/// reply, above any quoted letter, or its subject starts with DELETE, STOP, UNSUBSCRIBE, ОТПИСАТЬСЯ or УДАЛИТЬ,
/// or is no more than a few words containing one of them. The quoted letter is never read: it carries Drip's own
/// footer, which says "unsubscribe".
/// </summary>
public static partial class ReplyCommand
{
    public static string? UnsubscribeWord(MimeMessage message)
    {
        var subject = ReplyPrefix().Replace(message.Subject ?? "", "").Trim();
        return Command(subject) ?? Command(NewText(message));
    }

    private static string? Command(string text)
    {
        var words = Word().Matches(text).Select(m => m.Value).ToList();
        if (words.Count == 0)
        {
            return null;
        }
        if (Keyword().IsMatch(words[0]))
        {
            return words[0].ToUpperInvariant();
        }
        return words.Count <= 4 ? words.FirstOrDefault(w => Keyword().IsMatch(w))?.ToUpperInvariant() : null;
    }

    /// <summary>The reply's own text: the plain part (or the HTML's text) up to the first quote marker.</summary>
    private static string NewText(MimeMessage message)
    {
        var body = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.Strip(html) : "");
        var lines = new List<string>();
        foreach (var line in body.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (QuoteStart().IsMatch(l))
            {
                break;
            }
            lines.Add(l);
        }
        return string.Join('\n', lines).Trim();
    }

    [GeneratedRegex(@"^\s*((re|fw|fwd|ответ|отв)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    [GeneratedRegex(@"^(delete|stop|unsubscribe|отписаться|удалить)$", RegexOptions.IgnoreCase)]
    private static partial Regex Keyword();

    // "> quoted", "On … wrote:", "… пишет:", Outlook's "-----Original Message-----" or "From: …" block, a signature "-- ".
    [GeneratedRegex(@"^\s*(>|On .+wrote:\s*$|.+(пишет|написал\(а\)|написал):\s*$|-{2,}\s*(Original Message|Исходное сообщение)|From:\s|От:\s|--\s*$)", RegexOptions.IgnoreCase)]
    private static partial Regex QuoteStart();
}
