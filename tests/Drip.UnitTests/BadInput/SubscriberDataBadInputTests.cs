using System.Text;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Storage;
using Drip.Subscribers;
using Drip.UnitTests.Delivery;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.UnitTests.BadInput;

/// <summary>
/// Subscriber data is data, never markup or headers: a &lt;script&gt; name is escaped in the letter's HTML, CR/LF in a
/// name or custom field never reaches a header raw (checked on the MIME bytes), 100 KB fields import and send, and an
/// unknown time zone is refused by line at import (the row does not import; no silent fallback to the default).
/// </summary>
public sealed class SubscriberDataBadInputTests : IDisposable
{
    private readonly TemplateFolder _templates = new();
    private static readonly LetterContext Context = new("https://drip.example/u/tok",
        new SenderIdentity("Shop", "news@mail.example.com", "12 Garden Street"), new Dictionary<string, string>());

    public void Dispose() => _templates.Dispose();

    private RenderedLetter Render(Subscriber subscriber, string body = "{{ greeting }}\n\nYour company: {{ subscriber.company }}",
        string subject = "{{ name_or 'Friend' }}, news for {{ subscriber.company }}")
    {
        var library = _templates.Letter("x", body, subject).Load();
        return new LetterRenderer(library, new RenderLimits()).Render(library.FindLetter("x")!, subscriber, Context);
    }

    private static Subscriber Person(string first, string company = "Engines Ltd", string? last = null) => new()
    {
        Id = Guid.NewGuid(), Email = "ada@example.org", EmailKey = "ada@example.org", FirstName = first, LastName = last,
        Fields = new(StringComparer.OrdinalIgnoreCase) { ["company"] = company },
    };

    private static byte[] Mime(Subscriber subscriber, RenderedLetter letter)
    {
        var entry = OutboxEntry.Create($"t:{subscriber.Id:N}", subscriber.Id, "x", "campaign:t", DateTimeOffset.UnixEpoch, false, DateTimeOffset.UnixEpoch);
        return LetterFixture.Bytes(LetterFixture.Builder(LetterSigner.Disabled).Build(entry, subscriber, letter));
    }

    private static string[] HeaderLines(byte[] mime)
    {
        var text = Encoding.UTF8.GetString(mime).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text[..text.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
    }

    [Fact]
    public void A_script_tag_in_a_name_or_field_is_escaped_in_the_letter_html()
    {
        var letter = Render(Person("<script>alert(1)</script>", company: "<img src=x onerror=alert(2)>"));

        Assert.DoesNotContain("<script", letter.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", letter.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", letter.Html);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", letter.Html);
        Assert.Contains("<script>alert(1)</script>", letter.Text); // the plain-text part shows the name as typed
    }

    [Theory]
    [InlineData("Ada\r\nBcc: victim@example.net", "Engines")]
    [InlineData("Ada", "Engines\r\nBcc: victim@example.net")]
    [InlineData("Ada\nX-Injected: yes", "Engines\rSubject: second")]
    public void Line_breaks_in_a_name_or_field_never_start_a_header_in_the_mime_bytes(string first, string company)
    {
        var subscriber = Person(first, company, last: "Lovelace\r\nCc: other@example.net");
        var mime = Mime(subscriber, Render(subscriber));

        var headers = HeaderLines(mime);
        Assert.DoesNotContain(headers, l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(headers, l => l.StartsWith("Cc:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(headers, l => l.StartsWith("X-Injected:", StringComparison.OrdinalIgnoreCase));
        Assert.Single(headers, l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(Encoding.UTF8.GetString(mime), "\r\r", StringComparison.Ordinal);
        var reloaded = MimeMessage.Load(new MemoryStream(mime));
        Assert.Empty(reloaded.Bcc);
        Assert.Empty(reloaded.Cc);
        Assert.DoesNotContain('\n', reloaded.Subject ?? "");
    }

    [Fact]
    public void Fields_of_100_kb_import_render_and_build_a_letter_whose_header_lines_stay_within_998_characters()
    {
        var big = string.Concat(Enumerable.Repeat("Ёлка-🎄 ", 100 * 1024 / 10));
        using var db = new DripDatabase(new MemoryStream());
        var store = new LiteSubscriberStore(db);
        var importer = new SubscriberImporter(store, new LiteSuppressionStore(db), new FakeTimeProvider());
        var csv = $"email,first_name,company\nbig@example.org,\"{big}\",\"{big}\"\n";

        var report = importer.Import(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test");

        Assert.Empty(report.Errors);
        var stored = store.FindByEmail("big@example.org")!;
        Assert.Equal(big.Trim(), stored.FirstName);
        Assert.Equal(big.Trim(), stored.Fields["company"]);
        var letter = Render(stored);
        Assert.Contains("Ёлка-🎄", letter.Html);
        var mime = Mime(stored, letter);
        Assert.All(Encoding.UTF8.GetString(mime).Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 998, $"a line of {l.Length} characters"));
        Assert.StartsWith("Ёлка-🎄", MimeMessage.Load(new MemoryStream(mime)).Subject);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_by_line_and_the_rows_around_it_import()
    {
        using var db = new DripDatabase(new MemoryStream());
        var store = new LiteSubscriberStore(db);
        var importer = new SubscriberImporter(store, new LiteSuppressionStore(db), new FakeTimeProvider());
        var csv = "email,time_zone\nada@example.org,Europe/London\nbob@example.org,Mars/Olympus_Mons\ncyd@example.org,\n";

        var report = importer.Import(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "test");

        var error = Assert.Single(report.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", error.Reason);
        Assert.Null(store.FindByEmail("bob@example.org"));
        Assert.Equal("Europe/London", store.FindByEmail("ada@example.org")!.TimeZone);
        Assert.Null(store.FindByEmail("cyd@example.org")!.TimeZone); // empty: the sender's default applies when planning
    }
}
