using System.Text;

namespace Drip.Delivery;

/// <summary>
/// Makes text that came from subscribers or templates safe to put in a header: a CR or LF would end the header
/// and let the text start a new one (a Bcc:, a second Subject:), so line breaks become spaces and other control
/// characters are dropped before MimeKit ever sees the text.
/// </summary>
public static class HeaderText
{
    /// <summary>
    /// Replaces each run of CR, LF and TAB with one space; drops the other C0 and C1 control characters (NUL, NEL…),
    /// DEL, and the Unicode line and paragraph separators; trims the ends.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var clean = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (c is '\r' or '\n' or '\t')
            {
                pendingSpace = true;
            }
            else if (!char.IsControl(c) && c is not ('\u2028' or '\u2029'))
            {
                if (pendingSpace && clean.Length > 0)
                {
                    clean.Append(' ');
                }
                pendingSpace = false;
                clean.Append(c);
            }
        }
        return clean.ToString().Trim();
    }
}
