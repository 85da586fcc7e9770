using System.Text;

namespace Drip.Subscribers;

/// <summary>
/// Writing CSV cells that a spreadsheet opens safely and the importer reads back. A cell starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return would run as a formula in Excel or LibreOffice
/// (CSV injection), so it gets a leading apostrophe, which spreadsheets show as text; the importer removes
/// exactly that apostrophe again, so an export re-imports unchanged.
/// </summary>
public static class CsvCell
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];

    public static string Write(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && Array.IndexOf(FormulaStarts, text[0]) >= 0)
        {
            text = "'" + text;
        }
        return text.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || text != text.Trim() ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    public static string Row(IEnumerable<string?> values) => string.Join(',', values.Select(Write));

    /// <summary>Undoes the apostrophe <see cref="Write"/> puts before a formula character.</summary>
    public static string Read(string value) =>
        value.Length > 1 && value[0] == '\'' && Array.IndexOf(FormulaStarts, value[1]) >= 0 ? value[1..] : value;

    /// <summary>A record as one line of text (for error reports), cut at <paramref name="maxLength"/> characters.</summary>
    public static string Raw(IReadOnlyList<string> fields, char delimiter, int maxLength = 2000)
    {
        var line = new StringBuilder();
        for (var i = 0; i < fields.Count && line.Length < maxLength; i++)
        {
            if (i > 0)
            {
                line.Append(delimiter == '\0' ? ',' : delimiter);
            }
            var f = fields[i];
            line.Append(f.AsSpan().IndexOfAny(",;\"\r\n") >= 0 ? "\"" + f.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : f);
        }
        return line.Length > maxLength ? line.ToString(0, maxLength) + "…" : line.ToString();
    }
}
