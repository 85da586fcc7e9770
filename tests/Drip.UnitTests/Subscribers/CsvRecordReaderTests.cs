using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

public sealed class CsvRecordReaderTests
{
    private static List<CsvRecord> Read(string text) => new CsvRecordReader(new StringReader(text)).ReadAll().ToList();

    [Fact]
    public void Header_and_rows_come_back_as_records_numbered_by_line()
    {
        var records = Read("email,first_name\nada@example.com,Ada\nalan@example.com,Alan\n");

        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.Equal(["email", "first_name"], records[0].Fields);
        Assert.Equal(["ada@example.com", "Ada"], records[1].Fields);
        Assert.Equal(["alan@example.com", "Alan"], records[2].Fields);
    }

    [Fact]
    public void Last_record_without_a_trailing_newline_is_still_read()
    {
        var records = Read("a,b\n1,2");

        Assert.Equal(2, records.Count);
        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public void Empty_fields_keep_their_position()
    {
        var records = Read("a,b,c\n1,,3\n4,5,\n");

        Assert.Equal(["1", "", "3"], records[1].Fields);
        Assert.Equal(["4", "5", ""], records[^1].Fields);
    }

    [Fact]
    public void Unquoted_fields_are_trimmed_but_quoted_fields_keep_their_spaces()
    {
        var records = Read("a,b\n  plain  ,\"  padded  \"\n");

        Assert.Equal(["plain", "  padded  "], records[1].Fields);
    }

    [Fact]
    public void Quoted_field_turns_doubled_quotes_into_one()
    {
        var records = Read("name,note\n\"Sean \"\"the Bold\"\"\",\"\"\"\"\n\"\",x\n");

        Assert.Equal(["Sean \"the Bold\"", "\""], records[1].Fields);
        Assert.Equal(["", "x"], records[2].Fields);
    }

    [Fact]
    public void Quoted_field_keeps_a_delimiter_inside_it()
    {
        var records = Read("name,company\nAda,\"Lovelace, Babbage & Co\"\n");

        Assert.Equal(["Ada", "Lovelace, Babbage & Co"], records[1].Fields);
    }

    [Fact]
    public void Quoted_field_keeps_embedded_newline_and_the_record_starts_on_its_first_line()
    {
        var records = Read("email,note\nada@example.com,\"line one\nline two\"\nalan@example.com,short\n");

        Assert.Equal(3, records.Count);
        Assert.Equal("line one\nline two", records[1].Fields[1]);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(4, records[2].Line);
    }

    [Fact]
    public void Several_embedded_newlines_all_count_towards_the_next_record_line()
    {
        var records = Read("a,b\n\"x\ny\nz\",\"p\nq\"\nnext,row\n");

        Assert.Equal([1, 2, 6], records.Select(r => r.Line));
        Assert.Equal(["x\ny\nz", "p\nq"], records[1].Fields);
    }

    [Fact]
    public void Semicolon_header_makes_semicolon_the_delimiter_and_commas_plain_text()
    {
        var reader = new CsvRecordReader(new StringReader("email;name\nada@example.com;Lovelace, Ada\n"));
        var records = reader.ReadAll().ToList();

        Assert.Equal(';', reader.Delimiter);
        Assert.Equal(["email", "name"], records[0].Fields);
        Assert.Equal(["ada@example.com", "Lovelace, Ada"], records[1].Fields);
    }

    [Fact]
    public void Comma_header_makes_comma_the_delimiter_and_semicolons_plain_text()
    {
        var reader = new CsvRecordReader(new StringReader("email,name\nada@example.com,Ada; Countess\n"));
        var records = reader.ReadAll().ToList();

        Assert.Equal(',', reader.Delimiter);
        Assert.Equal(["ada@example.com", "Ada; Countess"], records[1].Fields);
    }

    [Fact]
    public void Semicolon_inside_a_quoted_header_field_does_not_choose_the_delimiter()
    {
        var reader = new CsvRecordReader(new StringReader("\"a;b\",c\n1,2\n"));
        var records = reader.ReadAll().ToList();

        Assert.Equal(',', reader.Delimiter);
        Assert.Equal(["a;b", "c"], records[0].Fields);
        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public void Crlf_line_endings_leave_no_carriage_return_in_fields()
    {
        var records = Read("email,name\r\nada@example.com,Ada\r\nalan@example.com,Alan\r\n");

        Assert.Equal([1, 2, 3], records.Select(r => r.Line));
        Assert.Equal(["email", "name"], records[0].Fields);
        Assert.Equal(["alan@example.com", "Alan"], records[2].Fields);
        Assert.DoesNotContain(records.SelectMany(r => r.Fields), f => f.Contains('\r'));
    }

    [Fact]
    public void Crlf_inside_a_quoted_field_counts_as_one_line()
    {
        var records = Read("a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n");

        Assert.Equal([1, 2, 4], records.Select(r => r.Line));
        Assert.Equal("x\r\ny", records[1].Fields[1]);
        Assert.Equal(["2", "3"], records[2].Fields);
    }

    [Fact]
    public void Blank_lines_are_skipped_but_still_counted()
    {
        var records = Read("a,b\n\n1,2\n\n   \n3,4\n\n");

        Assert.Equal([1, 3, 6], records.Select(r => r.Line));
        Assert.Equal(["3", "4"], records[2].Fields);
    }

    [Fact]
    public void Blank_crlf_lines_are_skipped()
    {
        var records = Read("a,b\r\n\r\n1,2\r\n");

        Assert.Equal([1, 3], records.Select(r => r.Line));
    }

    [Fact]
    public void Unclosed_quote_throws_format_exception_naming_the_line()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("a,b\n1,\"never closed\n2,3\n4,5\n"));

        Assert.Equal(2, error.Line); // where the quote opens, not where the file ends
        Assert.StartsWith("line 2: ", error.Message);
        Assert.Contains("not closed", error.Message);
    }

    [Fact]
    public void Records_before_an_unclosed_quote_are_returned_before_it_throws()
    {
        var reader = new CsvRecordReader(new StringReader("a,b\n1,2\n3,\"never closed"));

        Assert.Equal(1, reader.Next()!.Line);
        Assert.Equal(2, reader.Next()!.Line);
        Assert.Equal(3, Assert.Throws<CsvFormatException>(() => reader.Next()).Line);
    }

    [Fact]
    public void Rows_of_only_delimiters_are_skipped_like_blank_lines()
    {
        var records = Read("a,b\n,\n1,2\n,,\n");
        Assert.Equal([1, 3], records.Select(r => r.Line));
    }

    [Fact]
    public void Empty_input_has_no_records()
    {
        Assert.Empty(Read(""));
        Assert.Null(new CsvRecordReader(new StringReader("\n\n")).Next());
    }
}
