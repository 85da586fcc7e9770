using System.Text;

namespace Drip.Subscribers;

/// <summary>One CSV record and the physical line it starts on (1-based, header included).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>The file cannot be read past this point (an unclosed quote); <see cref="Line"/> is where the record starts.</summary>
public sealed class CsvFormatException(int line, string reason) : FormatException($"line {line}: {reason}")
{
    public int Line { get; } = line;

    public string Reason { get; } = reason;
}

/// <summary>
/// Reads RFC 4180 CSV: quoted fields with doubled quotes and embedded newlines, a UTF-8 BOM,
/// and <c>,</c> or <c>;</c> as the delimiter (chosen from the header line).
/// Streams records so a million-row file is never held in memory.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();
    private int _line = 1;
    private char _delimiter;

    public CsvRecordReader(TextReader reader) => _reader = reader;

    public char Delimiter => _delimiter;

    public IEnumerable<CsvRecord> ReadAll()
    {
        while (Next() is { } record)
        {
            yield return record;
        }
    }

    /// <summary>The next record, or null at the end of input; a record of only empty fields is skipped.</summary>
    /// <exception cref="CsvFormatException">A quoted field is never closed.</exception>
    public CsvRecord? Next()
    {
        while (true)
        {
            if (_reader.Peek() < 0)
            {
                return null;
            }
            var start = _line;
            var fields = ReadRecord(start);
            if (fields.All(f => f.Length == 0))
            {
                continue; // a blank line, or a spreadsheet's trailing ",,,"
            }
            return new CsvRecord(start, fields);
        }
    }

    private List<string> ReadRecord(int start)
    {
        var fields = new List<string>();
        _field.Clear();
        var inQuotes = false;
        var quotedField = false;
        while (true)
        {
            var c = _reader.Read();
            if (c < 0)
            {
                if (inQuotes)
                {
                    throw new CsvFormatException(start, "a quoted field opened in this row is not closed; nothing after it can be read");
                }
                fields.Add(Take(quotedField));
                return fields;
            }
            var ch = (char)c;
            if (ch == '\uFEFF' && fields.Count == 0 && _field.Length == 0 && _line == 1)
            {
                continue; // BOM that survived decoding
            }
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (ch == '\n')
                    {
                        _line++;
                    }
                    _field.Append(ch);
                }
                continue;
            }
            if (_delimiter == '\0' && (ch == ',' || ch == ';'))
            {
                _delimiter = ch; // the first delimiter seen outside quotes, in the header, decides
            }
            if (ch == _delimiter)
            {
                fields.Add(Take(quotedField));
                quotedField = false;
            }
            else if (ch == '"' && _field.Length == 0 && !quotedField)
            {
                inQuotes = true;
                quotedField = true;
            }
            else if (ch == '\r' || ch == '\n')
            {
                if (ch == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }
                _line++;
                fields.Add(Take(quotedField));
                return fields;
            }
            else
            {
                _field.Append(ch);
            }
        }
    }

    private string Take(bool quoted)
    {
        var value = quoted ? _field.ToString() : _field.ToString().Trim();
        _field.Clear();
        return value;
    }
}
