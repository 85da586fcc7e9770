using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// Adds a letter's headers, each in the form MimeKit gives it. MimeKit formats every value it is handed: a copy of its
/// parser options, an RFC 2047 pass and folding, for each of a letter's ten headers; that was a tenth of a letter's CPU.
/// A value MimeKit would write as it is (printable ASCII with single spaces, nothing that looks like an encoded word, on
/// one line of at most 78 characters) is written here directly; any other value (non-ASCII, quotes, a long subject) goes
/// through MimeKit as before. The tests hold the two to the same bytes.
/// </summary>
internal static class LetterHeaders
{
    private const int MaxLine = 78;

    private static readonly SearchValues<char> Atext =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~");

    private static readonly SearchValues<char> DomainText =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.");

    private static readonly SearchValues<char> UrlText =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&*+;=%");

    private static readonly FrozenDictionary<string, byte[]> Fields = new[]
    {
        "From", "Date", "Subject", "Message-Id", "To", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID", "MIME-Version",
    }.ToFrozenDictionary(f => f, Encoding.ASCII.GetBytes, StringComparer.Ordinal);

    /// <summary>A header whose raw value (a leading space, the folded value, LF) is already what MimeKit would write.</summary>
    public static Header Preformatted(HeaderId id, string field, byte[] rawValue) => new PreformattedHeader(id, field, rawValue);

    /// <summary>An unstructured header (Subject, Feedback-ID) or a structured one MimeKit formats as text (Date, Message-Id).</summary>
    public static void AddText(HeaderList headers, HeaderId id, string field, string value)
    {
        if (IsPlainWords(value) && FitsOneLine(field, value.Length))
        {
            headers.Add(Preformatted(id, field, Raw(value)));
        }
        else if (id == HeaderId.Unknown)
        {
            headers.Add(field, Encoding.UTF8, value);
        }
        else
        {
            headers.Add(id, Encoding.UTF8, value);
        }
    }

    /// <summary>A one-mailbox address header (To): <c>Name &lt;address&gt;</c>, or the address alone when there is no name.</summary>
    public static void AddMailbox(HeaderList headers, InternetAddressList list, HeaderId id, string field, MailboxAddress mailbox)
    {
        var name = mailbox.Name ?? "";
        var address = mailbox.Address;
        var length = name.Length == 0 ? address.Length : name.Length + address.Length + 3;
        if ((name.Length == 0 || IsPlainPhrase(name)) && IsPlainAddress(address) && FitsOneLine(field, length))
        {
            headers.Add(Preformatted(id, field, Raw(name.Length == 0 ? address : $"{name} <{address}>")));
        }
        else
        {
            // MimeKit's own path: adding to the message's list writes the header, in this place in the order.
            list.Add(mailbox);
        }
    }

    /// <summary>
    /// List-Unsubscribe (RFC 2369): the page, and the mailto address when there is one, as <c>&lt;url&gt;</c> items separated
    /// by a comma. MimeKit puts an item that does not fit on the line on a line of its own, which for a signed link is nearly
    /// always.
    /// </summary>
    public static void AddLinks(HeaderList headers, string field, string first, string? second)
    {
        if (!IsPlainUrl(first) || second is not null && !IsPlainUrl(second))
        {
            headers.Add(field, Encoding.UTF8, second is null ? $"<{first}>" : $"<{first}>, <{second}>");
            return;
        }
        // MimeKit's rule, measured: an item goes on a new line when, with its space, it would reach column 78; the comma
        // after it is not counted.
        var foldFirst = field.Length + 1 + 1 + first.Length + 2 >= MaxLine;
        var afterFirst = foldFirst ? 1 + first.Length + 2 : field.Length + 1 + 1 + first.Length + 2;
        var foldSecond = second is not null && afterFirst + 1 + 1 + second.Length + 2 >= MaxLine;
        var raw = new byte[(foldFirst ? 1 : 0) + first.Length + 3 + (second is null ? 0 : (foldSecond ? 1 : 0) + second.Length + 4) + 1];
        var at = 0;
        at = Item(raw, at, foldFirst, first);
        if (second is not null)
        {
            raw[at++] = (byte)',';
            at = Item(raw, at, foldSecond, second);
        }
        raw[at] = (byte)'\n';
        headers.Add(Preformatted(HeaderId.ListUnsubscribe, field, raw));

        static int Item(byte[] raw, int at, bool fold, string url)
        {
            if (fold)
            {
                raw[at++] = (byte)'\n';
            }
            raw[at++] = (byte)' ';
            raw[at++] = (byte)'<';
            at += Encoding.ASCII.GetBytes(url, raw.AsSpan(at));
            raw[at++] = (byte)'>';
            return at;
        }
    }

    private static bool FitsOneLine(string field, int valueLength) => field.Length + 2 + valueLength <= MaxLine;

    /// <summary>Printable ASCII words with one space between them, and no <c>=?</c> a reader would take for an encoded word.</summary>
    private static bool IsPlainWords(string value)
    {
        if (value.Length == 0 || value[0] == ' ' || value[^1] == ' ' || value.Contains("  ", StringComparison.Ordinal) || value.Contains("=?", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (c is < '\x20' or > '\x7e')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A display name MimeKit writes unquoted: atoms of RFC 5322 atext, one space apart.</summary>
    private static bool IsPlainPhrase(string name)
    {
        if (!IsPlainWords(name))
        {
            return false;
        }
        foreach (var word in name.Split(' '))
        {
            if (word.AsSpan().ContainsAnyExcept(Atext))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An address MimeKit writes as it is: a dot-atom local part and an ASCII domain name.</summary>
    private static bool IsPlainAddress(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1)
        {
            return false;
        }
        var local = address.AsSpan(0, at);
        var domain = address.AsSpan(at + 1);
        return local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal) && IsDotAtom(local)
               && domain[0] != '.' && domain[^1] != '.' && !domain.Contains("..", StringComparison.Ordinal) && !domain.ContainsAnyExcept(DomainText);
    }

    private static bool IsDotAtom(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c != '.' && !Atext.Contains(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsPlainUrl(string url) => url.Length > 0 && !url.AsSpan().ContainsAnyExcept(UrlText);

    /// <summary>The raw value MimeKit stores for a value it leaves as it is: a space, the value, LF.</summary>
    private static byte[] Raw(string value)
    {
        var raw = new byte[value.Length + 2];
        raw[0] = (byte)' ';
        Encoding.ASCII.GetBytes(value, raw.AsSpan(1));
        raw[^1] = (byte)'\n';
        return raw;
    }

    private sealed class PreformattedHeader(HeaderId id, string field, byte[] rawValue)
        : Header(ParserOptions.Default, id, field, Fields.GetValueOrDefault(field) ?? Encoding.ASCII.GetBytes(field), rawValue);
}
