using System.Buffers;
using System.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace Drip.Delivery;

/// <summary>
/// A letter's body: multipart/alternative with the text part first and the HTML last (a client shows the last part it can),
/// both UTF-8, written into bytes once when the letter is built and copied out on each write.
/// <para>
/// Why not MimeKit's own parts: a <see cref="TextPart"/> with its stream, content and headers, written through a chain of
/// filters on every send, cost as much CPU as the rest of the letter's MIME. The usual part (lines within 998 octets, no
/// NUL) is written here exactly as MimeKit writes it: its headers, then the text with CRLF line ends. A part that needs
/// another transfer encoding (a longer line or a NUL: quoted-printable; a relay without 8BITMIME or a DKIM signature:
/// 7-bit) makes the body hold MimeKit's parts and be written by MimeKit, as every body was before. The tests hold both
/// ways to the same bytes.
/// </para>
/// <para>
/// Written here, the body's children are stand-ins that give each part's type and transfer encoding and no content:
/// MailKit walks them to decide on BODY=8BITMIME. The text is in the written bytes; read a letter back
/// (<see cref="MimeMessage.Load(Stream, CancellationToken)"/>) to see it.
/// </para>
/// </summary>
internal sealed class LetterBody : MultipartAlternative
{
    private const int MaxLine = 998;

    private static readonly FormatOptions DosFormat = new() { NewLineFormat = NewLineFormat.Dos };

    private readonly string _text;
    private readonly string _html;
    private readonly ContentEncoding _textEncoding;
    private readonly ContentEncoding _htmlEncoding;
    private bool _mimeKitParts;

    // Written on first use, not when built: a letter to be signed is prepared for 7-bit first, and MimeKit then writes it.
    private byte[]? _wire;

    public LetterBody(string text, string html)
    {
        _text = text;
        _html = html;
        _textEncoding = TransferEncoding(text);
        _htmlEncoding = TransferEncoding(html);
        if (_textEncoding == ContentEncoding.QuotedPrintable || _htmlEncoding == ContentEncoding.QuotedPrintable)
        {
            UseMimeKitParts();
        }
        else
        {
            Add(StandIn.For("plain", _textEncoding));
            Add(StandIn.For("html", _htmlEncoding));
        }
    }

    private byte[] Wire => _wire ??= _mimeKitParts ? WrittenByMimeKit() : Written();

    /// <summary>
    /// Makes the parts fit <paramref name="constraint"/> and <paramref name="maxLineLength"/>. The parts already fit 8BITMIME
    /// (lines within 998 octets or quoted-printable); anything stricter (7-bit for a DKIM signature or a relay without
    /// 8BITMIME, shorter lines) is MimeKit's choice of encoding per part, as it was before.
    /// </summary>
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        if (constraint != EncodingConstraint.SevenBit && maxLineLength >= MaxLine)
        {
            return;
        }
        UseMimeKitParts();
        base.Prepare(constraint, maxLineLength);
        _wire = null;
    }

    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        if (!contentOnly)
        {
            Headers.WriteTo(options, stream, cancellationToken);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var wire = Wire;
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            stream.Write(wire);
            return;
        }
        using var unix = new FilteredStream(stream);
        unix.Add(new Dos2UnixFilter());
        unix.Write(wire, 0, wire.Length, cancellationToken);
        unix.Flush(cancellationToken);
    }

    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stream);
        if (!contentOnly)
        {
            await Headers.WriteToAsync(options, stream, cancellationToken);
        }
        var wire = Wire;
        if (options.NewLineFormat == NewLineFormat.Dos)
        {
            await stream.WriteAsync(wire.AsMemory(), cancellationToken);
            return;
        }
        using var unix = new FilteredStream(stream);
        unix.Add(new Dos2UnixFilter());
        await unix.WriteAsync(wire.AsMemory(), cancellationToken);
        await unix.FlushAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_mimeKitParts)
        {
            // The stand-ins are shared by every letter: not this body's to dispose.
            Clear();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// The transfer encoding SMTP needs for this text. SMTP allows 998 octets a line: a long field (a 100 KB name pasted into
    /// a paragraph) would otherwise make a line a relay refuses or breaks, and a pickup folder keeps the message as written,
    /// so a part with a longer line goes quoted-printable, as does one with a NUL, which may not travel as it is. Otherwise
    /// text with octets over 127 goes as 8bit (8BITMIME) and plain ASCII needs no header.
    /// </summary>
    internal static ContentEncoding TransferEncoding(string text)
    {
        var rest = text.AsSpan();
        if (rest.Contains('\0'))
        {
            return ContentEncoding.QuotedPrintable;
        }
        var eightBit = rest.ContainsAnyExceptInRange('\0', '\x7f');
        while (rest.Length > 0)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }
            // A character is at most three octets of UTF-8 (a surrogate pair four for two): a line of 332 or fewer fits.
            if (line.Length > MaxLine / 3 && Encoding.UTF8.GetByteCount(line) > MaxLine)
            {
                return ContentEncoding.QuotedPrintable;
            }
            rest = end < 0 ? default : rest[(end + 1)..];
        }
        return eightBit ? ContentEncoding.EightBit : ContentEncoding.Default;
    }

    /// <summary>Both parts, boundaries and all, with CRLF line ends, as MimeKit writes a multipart/alternative's content.</summary>
    private byte[] Written()
    {
        var boundary = Boundary!; // Multipart makes one when it is created
        var textBytes = Utf8(_text);
        var htmlBytes = Utf8(_html);
        try
        {
            var text = textBytes.Span;
            var html = htmlBytes.Span;
            var size = PartSize("plain", _textEncoding, text, boundary) + PartSize("html", _htmlEncoding, html, boundary) + boundary.Length + 6;
            var wire = new byte[size];
            var at = WritePart(wire, 0, "plain", _textEncoding, text, boundary);
            at = WritePart(wire, at, "html", _htmlEncoding, html, boundary);
            at = Ascii(wire, at, "--");
            at = Ascii(wire, at, boundary);
            Ascii(wire, at, "--\r\n");
            return wire;
        }
        finally
        {
            textBytes.Return();
            htmlBytes.Return();
        }
    }

    private static int PartSize(string subtype, ContentEncoding encoding, ReadOnlySpan<byte> content, string boundary) =>
        2 + boundary.Length + 2 + PartHeaders(subtype, encoding).Length + 2 + content.Length + BareLineFeeds(content) + 2;

    private static int WritePart(byte[] wire, int at, string subtype, ContentEncoding encoding, ReadOnlySpan<byte> content, string boundary)
    {
        at = Ascii(wire, at, "--");
        at = Ascii(wire, at, boundary);
        at = Ascii(wire, at, "\r\n");
        at = Ascii(wire, at, PartHeaders(subtype, encoding));
        at = Ascii(wire, at, "\r\n");
        at = WithCrLf(wire, at, content);
        return Ascii(wire, at, "\r\n");
    }

    private static string PartHeaders(string subtype, ContentEncoding encoding) => (subtype, encoding) switch
    {
        ("plain", ContentEncoding.EightBit) => "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
        ("plain", _) => "Content-Type: text/plain; charset=utf-8\r\n",
        (_, ContentEncoding.EightBit) => "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
        _ => "Content-Type: text/html; charset=utf-8\r\n",
    };

    /// <summary>Copies the text with each LF that has no CR before it made CRLF, as MimeKit's Unix2Dos filter does.</summary>
    private static int WithCrLf(byte[] wire, int at, ReadOnlySpan<byte> content)
    {
        while (content.Length > 0)
        {
            var lf = content.IndexOf((byte)'\n');
            var run = lf < 0 ? content : content[..lf];
            run.CopyTo(wire.AsSpan(at));
            at += run.Length;
            if (lf < 0)
            {
                break;
            }
            // At the start of what is left, the character before was an LF (or there was none): no CR.
            if (lf == 0 || content[lf - 1] != '\r')
            {
                wire[at++] = (byte)'\r';
            }
            wire[at++] = (byte)'\n';
            content = content[(lf + 1)..];
        }
        return at;
    }

    private static int BareLineFeeds(ReadOnlySpan<byte> content)
    {
        var count = 0;
        var at = 0;
        while (content[at..].IndexOf((byte)'\n') is var lf and >= 0)
        {
            lf += at;
            if (lf == 0 || content[lf - 1] != '\r')
            {
                count++;
            }
            at = lf + 1;
        }
        return count;
    }

    private static int Ascii(byte[] wire, int at, string text) => at + Encoding.ASCII.GetBytes(text, wire.AsSpan(at));

    /// <summary>The text's UTF-8 in a pooled buffer, given back once the part is written.</summary>
    private static PooledBytes Utf8(string text)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        return new PooledBytes(buffer, Encoding.UTF8.GetBytes(text, buffer));
    }

    private readonly record struct PooledBytes(byte[] Buffer, int Length)
    {
        public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

        public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
    }

    /// <summary>Puts MimeKit's parts, with the text, in place of the stand-ins; once.</summary>
    private void UseMimeKitParts()
    {
        if (_mimeKitParts)
        {
            return;
        }
        Clear();
        Add(MimeKitPart("plain", _text, _textEncoding));
        Add(MimeKitPart("html", _html, _htmlEncoding));
        _mimeKitParts = true;
    }

    /// <summary>The parts as MimeKit writes them, under this body's boundary.</summary>
    private byte[] WrittenByMimeKit()
    {
        using var wire = new MemoryStream();
        base.WriteTo(DosFormat, wire, contentOnly: true);
        return wire.ToArray();
    }

    private static TextPart MimeKitPart(string subtype, string text, ContentEncoding encoding)
    {
        // Unencoded text (7bit or 8bit) is declared in that encoding, so MimeKit writes it through its line-ending filter
        // alone; quoted-printable text is declared raw, for MimeKit to encode.
        var stored = encoding == ContentEncoding.QuotedPrintable ? ContentEncoding.Default : encoding;
        var part = new TextPart(subtype) { Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false), stored) };
        part.ContentType.Charset = "utf-8";
        if (encoding != ContentEncoding.Default)
        {
            part.ContentTransferEncoding = encoding;
        }
        return part;
    }

    /// <summary>A part's type and transfer encoding without content, one per kind, shared by every letter and never changed.</summary>
    private static class StandIn
    {
        private static readonly TextPart PlainSevenBit = Create("plain", ContentEncoding.Default);
        private static readonly TextPart PlainEightBit = Create("plain", ContentEncoding.EightBit);
        private static readonly TextPart HtmlSevenBit = Create("html", ContentEncoding.Default);
        private static readonly TextPart HtmlEightBit = Create("html", ContentEncoding.EightBit);

        public static TextPart For(string subtype, ContentEncoding encoding) => (subtype, encoding) switch
        {
            ("plain", ContentEncoding.EightBit) => PlainEightBit,
            ("plain", _) => PlainSevenBit,
            (_, ContentEncoding.EightBit) => HtmlEightBit,
            _ => HtmlSevenBit,
        };

        private static TextPart Create(string subtype, ContentEncoding encoding)
        {
            var part = new TextPart(subtype);
            part.ContentType.Charset = "utf-8";
            if (encoding != ContentEncoding.Default)
            {
                part.ContentTransferEncoding = encoding;
            }
            return part;
        }
    }
}
