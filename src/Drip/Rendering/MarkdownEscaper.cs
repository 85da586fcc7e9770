using System.Text;

namespace Drip.Rendering;

/// <summary>
/// Makes subscriber data inert inside Markdown: every ASCII punctuation mark gets a backslash, which
/// CommonMark turns back into the literal character, so a name can never become a link, emphasis or HTML.
/// </summary>
public static class MarkdownEscaper
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                sb.Append(' ');
            }
            else if (c < 128 && char.IsPunctuation(c) || c is '<' or '>' or '`' or '|' or '+' or '=' or '^' or '~' or '$')
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
}
