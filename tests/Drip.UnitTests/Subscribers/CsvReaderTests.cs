using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

public sealed class CsvReaderTests
{
    private static List<CsvRecord> Read(string text) => new CsvRecordReader(new StringReader(text)).ReadAll().ToList();

    [Fact]
    public void Records_know_the_line_they_start_on_even_after_a_quoted_newline()
    {
        var records = Read("a,b\n1,\"two\nlines\"\n\n3,4\n");
        Assert.Equal([1, 2, 5], records.Select(r => r.Line));
        Assert.Equal("two\nlines", records[1].Fields[1]);
    }

    [Fact]
    public void Doubled_quotes_delimiters_inside_quotes_and_crlf_are_handled()
    {
        var reader = new CsvRecordReader(new StringReader("name;note\r\n\"Sean \"\"the Bold\"\"\";\"a; b, c\"\r\n"));
        var records = reader.ReadAll().ToList();
        Assert.Equal(';', reader.Delimiter);
        Assert.Equal(["Sean \"the Bold\"", "a; b, c"], records[1].Fields);
    }

    [Fact]
    public void A_bom_that_reached_the_text_is_ignored()
    {
        Assert.Equal("email", Read("\uFEFFemail\nx@example.com\n")[0].Fields[0]);
    }

    [Fact]
    public void An_unclosed_quote_is_reported_with_its_line()
    {
        var error = Assert.Throws<CsvFormatException>(() => Read("a,b\n1,\"never closed\n2,3\n"));
        Assert.Equal(2, error.Line);
        Assert.Contains("not closed", error.Message);
    }
}
