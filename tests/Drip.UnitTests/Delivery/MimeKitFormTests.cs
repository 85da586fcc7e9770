using System.Text;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using MimeKit;

namespace Drip.UnitTests.Delivery;

/// <summary>
/// <see cref="MessageBuilder"/> writes the headers it can and the body itself (<see cref="LetterHeaders"/>,
/// <see cref="LetterBody"/>) instead of handing every value to MimeKit. Each case here builds the same letter both ways,
/// the straightforward MimeKit way written out below, and asks for the same bytes: as MailKit writes a letter to a relay
/// (CRLF), and as a pickup folder or a test writes it (MimeKit's defaults).
/// </summary>
public sealed class MimeKitFormTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> Subjects() => new()
    {
        "Spring news",
        "Ada, what is new this spring",
        "Re: 20% off; today only! (see inside) #sale & more?",
        new string('x', 69), // "Subject: " and 69 characters: a line of exactly 78
        new string('x', 70), // one word: too long for the line, and nowhere to fold it
        Words(69),
        Words(70), // folded at its last space
        "A subject long enough that MimeKit has to fold it somewhere past the seventy-eighth column of its line",
        "Новости недели",
        "Mixed ASCII and ünïcödé",
        "Looks like =?utf-8?q?an_encoded?= word",
        "Two  spaces",
        "A \"quoted\" word",
        "",
    };

    /// <summary>Four-letter words one space apart, <paramref name="length"/> characters in all.</summary>
    private static string Words(int length)
    {
        var words = string.Concat(Enumerable.Repeat("word ", length / 5 + 1))[..length];
        return words.EndsWith(' ') ? words[..^1] + "x" : words;
    }

    [Theory]
    [MemberData(nameof(Subjects))]
    public void A_subject_is_written_as_mimekit_writes_it(string subject) =>
        AssertSameLetter(subject: subject);

    public static TheoryData<string, string?, string> Recipients() => new()
    {
        { "Ada", "Lovelace", "ada@example.org" },
        { "Ada", null, "first.last+tag@example.org" },
        { "", null, "nobody@example.org" },
        { "Анна", "Петрова", "anna@example.org" },
        { "Seán", "O'Brien", "sean@example.org" },
        { "Dr. Who", null, "who@example.org" }, // a dot: quoted
        { "Smith, John", null, "john@example.org" }, // a comma: quoted
        { "Ada", null, "ada@пример.рф" }, // an international domain
        { "Ada", null, "José@example.org" }, // an international local part
        { "Augusta Ada King, Countess of Lovelace and of the Long Names", null, "augusta.ada.king@a-long-domain.example.org" },
        { "Ada", null, "o'brien@example.org" },
    };

    [Theory]
    [MemberData(nameof(Recipients))]
    public void A_recipient_is_written_as_mimekit_writes_it(string first, string? last, string email) =>
        AssertSameLetter(subscriber: new Subscriber { Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = first, LastName = last });

    public static TheoryData<string> Bodies() => new()
    {
        "Hello, Ada!\nThe news.\n",
        "No line break at the end",
        "",
        "\n\nBlank lines first\n\n",
        "Windows line ends\r\nstay as they are\r\n",
        "A lone\rcarriage return",
        "Здравствуйте, Анна!\nНовости — со скидкой 20 %. 🎄\n",
        ".A line that starts with a dot\n.\n",
        "From the start of a line\nFrom here too\n",
        new string('x', 998) + "\n" + new string('y', 998),
        new string('x', 999), // quoted-printable
        "before\0after", // quoted-printable
        string.Concat(Enumerable.Repeat("ж", 600)), // 1,200 octets: quoted-printable
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_body_is_written_as_mimekit_writes_it(string text) =>
        AssertSameLetter(text: text, html: $"<p>{text}</p>");

    [Theory]
    [InlineData("https://drip.example/u/short")]
    [InlineData("https://drip.example/u/0123456789012345678901234567890123")] // with the mailto: a first line of exactly 78
    [InlineData("https://drip.example/u/01234567890123456789012345678901234")] // 79
    [InlineData("https://drip.example/u/012345678901234567890123456789012345")] // alone: 79
    [InlineData("https://drip.example/u/bench.dV8v2AeCt5dFkZaBA7syuiZzcHJpbmctbmV3cw.Aqh2qEyCKQtb1nNTt2H-qw")]
    [InlineData("https://drip.example/u/a,comma")]
    [InlineData("https://пример.рф/u/international")]
    public void The_unsubscribe_links_are_written_as_mimekit_writes_them(string url)
    {
        AssertSameLetter(unsubscribeUrl: url);
        AssertSameLetter(unsubscribeUrl: url, mailto: false);
    }

    [Theory]
    [InlineData("spring-news")]
    [InlineData("a-letter-with-an-id-so-long-that-its-feedback-id-cannot-fit-on-one-line-of-the-header")]
    public void The_feedback_id_is_written_as_mimekit_writes_it(string letterId) =>
        AssertSameLetter(letterId: letterId);

    [Fact]
    public void A_reply_to_address_is_written_as_mimekit_writes_it()
    {
        AssertSameLetter(replyTo: "Help Desk <help@mail.example.com>");
        AssertSameLetter(replyTo: "Ünïcödé Desk <help@mail.example.com>");
    }

    [Theory]
    [InlineData("news@mail.example.com", "Shop")]
    [InlineData("news@пример.рф", "Магазин")] // an international domain in From and in the Message-ID
    [InlineData("news@mail.example.com", "Shop \"Best\", Ltd.")]
    public void The_sender_and_the_message_id_are_written_as_mimekit_writes_them(string address, string name) =>
        AssertSameLetter(senderAddress: address, senderName: name);

    [Fact]
    public void Prepared_for_a_relay_without_8bitmime_the_body_is_mimekit_s_seven_bit_body()
    {
        foreach (var text in new[] { "Plain ASCII\n", "Здравствуйте, Анна!\n", new string('x', 100) + "\n", "before\0after" })
        {
            AssertSameLetter(text: text, html: $"<p>{text}</p>", prepare: m => m.Prepare(EncodingConstraint.SevenBit, 998));
            AssertSameLetter(text: text, html: $"<p>{text}</p>", prepare: m => m.Prepare(EncodingConstraint.SevenBit));
            AssertSameLetter(text: text, html: $"<p>{text}</p>", prepare: m => m.Prepare(EncodingConstraint.EightBit, 998));
        }
    }

    private static void AssertSameLetter(
        string subject = "Spring news", Subscriber? subscriber = null, string text = "Hello, Ada!\n", string html = "<p>Hello, Ada!</p>\n",
        string unsubscribeUrl = "https://drip.example/u/token", bool mailto = true, string letterId = "news", string? replyTo = null,
        Action<MimeMessage>? prepare = null, string? senderAddress = null, string? senderName = null)
    {
        var sender = LetterFixture.Sender();
        sender.Address = senderAddress ?? sender.Address;
        sender.Name = senderName ?? sender.Name;
        sender.ReplyTo = replyTo;
        if (!mailto)
        {
            sender.UnsubscribeAddress = null;
        }
        var builder = LetterFixture.Builder(LetterSigner.Disabled, sender);
        subscriber ??= LetterFixture.Subscriber("Ada", "Lovelace");
        var entry = OutboxEntry.Create($"test:{subscriber.Id:N}", subscriber.Id, letterId, "campaign:test", Now, false, Now);
        var built = builder.Build(entry, subscriber, new RenderedLetter(subject, null, html, text), unsubscribeUrl);
        var boundary = Assert.IsType<LetterBody>(built.Body).Boundary!;
        var mailtoUrl = mailto ? LetterFixture.Links(sender).Mailto(subscriber.Id) : null;
        var expected = MimeKitWay(sender, entry, subscriber, subject, text, html, unsubscribeUrl, mailtoUrl, boundary);
        prepare?.Invoke(built);
        prepare?.Invoke(expected);

        foreach (var options in new[] { FormatOptions.Default, RelayFormat })
        {
            Assert.Equal(Written(expected, options), Written(built, options));
        }
    }

    /// <summary>How MailKit writes a letter to a relay: CRLF, and a line end guaranteed at the end.</summary>
    private static readonly FormatOptions RelayFormat = new() { NewLineFormat = NewLineFormat.Dos, EnsureNewLine = true };

    private static string Written(MimeMessage message, FormatOptions options)
    {
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The letter built the straightforward MimeKit way: every value through MimeKit's setters, every part a TextPart.</summary>
    private static MimeMessage MimeKitWay(SenderOptions sender, OutboxEntry entry, Subscriber subscriber, string subject, string text, string html,
        string unsubscribeUrl, string? mailto, string boundary)
    {
        var message = new MimeMessage((IEnumerable<Header>)[]);
        message.From.Add(new MailboxAddress(HeaderText.Clean(sender.Name), sender.Address));
        message.Date = Now;
        message.Subject = HeaderText.Clean(subject);
        message.MessageId = IdempotencyKey.MessageId(entry.Id, sender.Domain);
        message.To.Add(MessageBuilder.Recipient(subscriber));
        if (sender.ReplyTo is { Length: > 0 } replyTo)
        {
            var replyBox = MailboxAddress.Parse(replyTo);
            replyBox.Name = HeaderText.Clean(replyBox.Name);
            message.ReplyTo.Add(replyBox);
        }
        message.Headers.Add("List-Unsubscribe", mailto is null ? $"<{unsubscribeUrl}>" : $"<{unsubscribeUrl}>, <{mailto}>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        message.Headers.Add("Feedback-ID", $"{entry.LetterId}:campaign:drip");
        message.MimeVersion = new Version(1, 0);
        var body = new MultipartAlternative { Part("plain", text), Part("html", html) };
        body.ContentType.Boundary = boundary;
        message.Body = body;
        return message;
    }

    /// <summary>The rule on the UTF-8 octets themselves: a NUL or a line over 998 octets (its CR aside) is quoted-printable.</summary>
    private static ContentEncoding TransferEncodingOfBytes(ReadOnlySpan<byte> text)
    {
        if (text.Contains((byte)0))
        {
            return ContentEncoding.QuotedPrintable;
        }
        var eightBit = text.ContainsAnyExceptInRange((byte)0, (byte)127);
        foreach (var range in text.Split((byte)'\n'))
        {
            var line = text[range];
            if ((line.Length > 0 && line[^1] == '\r' ? line.Length - 1 : line.Length) > 998)
            {
                return ContentEncoding.QuotedPrintable;
            }
        }
        return eightBit ? ContentEncoding.EightBit : ContentEncoding.Default;
    }

    public static TheoryData<string> Lines() => new()
    {
        new string('x', 998),
        new string('x', 999),
        new string('x', 998) + "\r",
        new string('x', 998) + "\r\n" + new string('y', 998),
        new string('x', 998) + "\ry",
        string.Concat(Enumerable.Repeat("ж", 499)), // 998 octets
        string.Concat(Enumerable.Repeat("ж", 499)) + "x", // 999
        string.Concat(Enumerable.Repeat("€", 332)) + "xx", // three octets each: 998
        string.Concat(Enumerable.Repeat("€", 333)), // 999
        string.Concat(Enumerable.Repeat("😀", 249)) + "xx", // a surrogate pair is four octets: 998
        string.Concat(Enumerable.Repeat("😀", 249)) + "xxx", // 999
        string.Concat(Enumerable.Repeat("\ud800", 332)) + "xx", // a lone surrogate is written as U+FFFD, three octets: 998
        string.Concat(Enumerable.Repeat("\ud800", 333)), // 999
        new string('x', 332) + "\n" + new string('x', 333),
        "ASCII only",
        "",
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void The_transfer_encoding_is_decided_on_the_octets_a_line_will_have(string text) =>
        Assert.Equal(TransferEncodingOfBytes(Encoding.UTF8.GetBytes(text)), LetterBody.TransferEncoding(text));

    private static TextPart Part(string subtype, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var encoding = TransferEncodingOfBytes(bytes);
        var stored = encoding == ContentEncoding.QuotedPrintable ? ContentEncoding.Default : encoding;
        var part = new TextPart(subtype) { Content = new MimeContent(new MemoryStream(bytes, writable: false), stored) };
        part.ContentType.Charset = "utf-8";
        if (encoding != ContentEncoding.Default)
        {
            part.ContentTransferEncoding = encoding;
        }
        return part;
    }
}
