using System.Text;
using Drip.Delivery;
using MimeKit;

namespace Drip.UnitTests.Delivery;

public sealed class HeaderInjectionTests
{
    private const string Evil = "Ada\r\nBcc: evil@example.test";
    private static readonly Lazy<string> KeyPem = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    });

    private static string[] HeaderLines(MimeMessage message)
    {
        // FormatOptions.Default writes the platform's line ending, so LF here and CRLF on Windows.
        var text = Encoding.ASCII.GetString(LetterFixture.Bytes(message)).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text[..text.IndexOf("\n\n", StringComparison.Ordinal)].Split('\n');
    }

    private static MimeMessage BuildFor(string firstName, bool dkim = false)
    {
        var signer = dkim
            ? new LetterSigner(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKey = KeyPem.Value })
            : LetterSigner.Disabled;
        var subscriber = LetterFixture.Subscriber(firstName, last: null);
        // The subject as a template renders it: the name pasted in unchanged.
        return LetterFixture.Build(LetterFixture.Builder(signer), subscriber, $"{firstName}, your weekly news");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_name_with_a_line_break_cannot_add_a_header(bool dkim)
    {
        var lines = HeaderLines(BuildFor(Evil, dkim));

        Assert.Single(lines, l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(lines, l => l.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
        var reloaded = LetterFixture.Reload(LetterFixture.Bytes(BuildFor(Evil, dkim)));
        Assert.Empty(reloaded.Bcc);
        Assert.Equal("Ada Bcc: evil@example.test, your weekly news", reloaded.Subject);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(reloaded.To));
        Assert.Equal(("Ada Bcc: evil@example.test", "anna@example.org"), (to.Name, to.Address));
    }

    [Fact]
    public void The_envelope_recipient_carries_the_cleaned_name_too()
    {
        var recipient = MessageBuilder.Recipient(LetterFixture.Subscriber(Evil, "Lovelace"));

        Assert.Equal("Ada Bcc: evil@example.test Lovelace", recipient.Name);
    }

    [Theory]
    [InlineData("Ada\0Lovelace", "AdaLovelace")]
    [InlineData("Ada\u0085Lovelace", "AdaLovelace")]
    [InlineData("Ada\u2028\u2029Lovelace", "AdaLovelace")]
    [InlineData("Ada\u001b[31mLovelace\u007f", "Ada[31mLovelace")]
    [InlineData("Ada\r\n\t\r\nLovelace", "Ada Lovelace")]
    [InlineData("Ada\r\0\nLovelace", "Ada Lovelace")]
    [InlineData("\r\n  Ada \n", "Ada")]
    [InlineData("Анна 🎉", "Анна 🎉")]
    [InlineData(null, "")]
    public void Control_characters_are_dropped_and_line_breaks_become_one_space(string? raw, string clean)
    {
        Assert.Equal(clean, HeaderText.Clean(raw));
    }

    [Fact]
    public void A_nul_or_nel_in_a_name_never_reaches_the_wire()
    {
        var message = BuildFor("Ada\0\u0085Byron");

        var reloaded = LetterFixture.Reload(LetterFixture.Bytes(message));

        Assert.Equal("AdaByron, your weekly news", reloaded.Subject);
        Assert.Equal("AdaByron", Assert.IsType<MailboxAddress>(Assert.Single(reloaded.To)).Name);
        Assert.DoesNotContain(LetterFixture.Bytes(message), b => b == 0);
    }
}
