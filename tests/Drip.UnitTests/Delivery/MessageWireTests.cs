using System.Text;
using Drip.Delivery;
using MimeKit;

namespace Drip.UnitTests.Delivery;

/// <summary>
/// The letter as it goes on the wire: the MIME structure, and for each part the transfer encoding SMTP needs (7bit text
/// goes with no encoding header, 8bit text goes as 8BITMIME, a line over 998 octets becomes quoted-printable), read back by a parser.
/// </summary>
public sealed class MessageWireTests
{
    private static MimeMessage Wire(string text)
    {
        var message = LetterFixture.Build(LetterFixture.Builder(LetterSigner.Disabled), LetterFixture.Subscriber(), "News", text);
        return LetterFixture.Reload(LetterFixture.Bytes(message));
    }

    private static (TextPart Text, TextPart Html) Parts(MimeMessage message)
    {
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        return (Assert.IsType<TextPart>(alternative[0]), Assert.IsType<TextPart>(alternative[1]));
    }

    [Fact]
    public void A_letter_is_mime_1_0_multipart_alternative_with_the_text_first_and_the_html_last_both_utf_8()
    {
        var message = Wire("Hello, Ada!\nThe news.");

        Assert.Equal("1.0", message.Headers[HeaderId.MimeVersion]);
        var (text, html) = Parts(message);
        Assert.Equal("text/plain", text.ContentType.MimeType);
        Assert.Equal("text/html", html.ContentType.MimeType);
        Assert.Equal("utf-8", text.ContentType.Charset);
        Assert.Equal("utf-8", html.ContentType.Charset);
        Assert.Equal("Hello, Ada!\nThe news.", text.Text.ReplaceLineEndings("\n"));
        Assert.Equal("<p>Hello, Ada!\nThe news.</p>", html.Text.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("Hello, Ada!\nThe news.", ContentEncoding.Default)] // no header: 7bit, MIME's default
    [InlineData("Здравствуйте, Анна!\nНовости — со скидкой 20 %. 🎄", ContentEncoding.EightBit)]
    public void Text_within_998_octets_a_line_goes_as_it_is(string body, ContentEncoding expected)
    {
        var (text, html) = Parts(Wire(body));

        Assert.Equal(expected, text.ContentTransferEncoding);
        Assert.Equal(expected, html.ContentTransferEncoding);
        Assert.Equal(body, text.Text.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("ж")] // two octets each: 600 of them are 1,200 octets on one line
    public void A_line_over_998_octets_is_quoted_printable_and_reads_back_whole(string unit)
    {
        var line = string.Concat(Enumerable.Repeat(unit, 600 * (unit.Length == 1 && unit[0] < 128 ? 2 : 1)));
        var body = $"Short line.\n{line}\nEnd.";
        var message = Wire(body);
        var (text, html) = Parts(message);

        Assert.Equal(ContentEncoding.QuotedPrintable, text.ContentTransferEncoding);
        Assert.Equal(ContentEncoding.QuotedPrintable, html.ContentTransferEncoding);
        Assert.Equal(body, text.Text.ReplaceLineEndings("\n"));
        Assert.All(Encoding.UTF8.GetString(LetterFixture.Bytes(message)).Split('\n'), l => Assert.True(Encoding.UTF8.GetByteCount(l.TrimEnd('\r')) <= 998));
    }

    [Fact]
    public void A_line_of_exactly_998_octets_stays_as_it_is()
    {
        var line = new string('x', 998);
        var (text, _) = Parts(Wire(line));

        Assert.Equal(ContentEncoding.Default, text.ContentTransferEncoding);
        Assert.Equal(line, text.Text.ReplaceLineEndings("\n").TrimEnd('\n'));
    }

    [Fact]
    public void A_nul_in_the_text_is_quoted_printable_and_reads_back()
    {
        var (text, _) = Parts(Wire("before\0after"));

        Assert.Equal(ContentEncoding.QuotedPrintable, text.ContentTransferEncoding);
        Assert.Equal("before\0after", text.Text);
    }
}
