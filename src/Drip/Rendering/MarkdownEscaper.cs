using System.Buffers;
using System.Text;

namespace Drip.Rendering;

/// <summary>
/// Makes subscriber data inert inside Markdown: every ASCII punctuation mark gets a backslash, which
/// CommonMark turns back into the literal character, so a name can never become a link, emphasis or HTML.
/// </summary>
public static class MarkdownEscaper
{
    /// <summary>Every character <see cref="Escape"/> changes: line breaks, ASCII punctuation and the other Markdown symbols.</summary>
    private static readonly SearchValues<char> Special = SearchValues.Create(
        Enumerable.Range(0, 128).Select(i => (char)i).Where(c => c is '\r' or '\n' || NeedsBackslash(c)).ToArray());

    private static bool NeedsBackslash(char c) => c < 128 && char.IsPunctuation(c) || c is '<' or '>' or '`' or '|' or '+' or '=' or '^' or '~' or '$';

    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        if (!value.AsSpan().ContainsAny(Special))
        {
            return value; // a plain name: nothing to escape, so no copy
        }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else if (NeedsBackslash(c))
            {
                sb.Append('\\').Append(c);
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>The text <see cref="Escape"/> was given (for functions such as date.parse that read a value rather than print it).</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length && value[i + 1] < 128 && !char.IsLetterOrDigit(value[i + 1]))
            {
                i++;
            }
            sb.Append(value[i]);
        }
        return sb.ToString();
    }
}
