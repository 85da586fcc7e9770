using System.Security.Cryptography;
using System.Text;
using Drip.Delivery;
using MimeKit;
using MimeKit.Cryptography;

namespace Drip.UnitTests.Delivery;

public sealed class DkimSigningTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public void Dispose() => _key.Dispose();

    private static DkimOptions Options(string pem) => new() { Domain = "example.com", Selector = "drip2026", PrivateKey = pem };

    private (bool Valid, MimeMessage Message, Header Signature) Verify(byte[] bytes)
    {
        var message = LetterFixture.Reload(bytes);
        var signature = Assert.Single(message.Headers, h => h.Id == HeaderId.DkimSignature);
        var locator = new LetterFixture.StaticKeyLocator(_key);
        var valid = new DkimVerifier(locator).Verify(message, signature);
        // MimeKit checks the body hash first and asks for the key only when that matches.
        Assert.All(locator.Asked, asked => Assert.Equal(("example.com", "drip2026"), asked));
        return (valid, message, signature);
    }

    private static Dictionary<string, string> Tags(Header signature) =>
        signature.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.Split('=', 2))
            .ToDictionary(t => t[0], t => string.Concat(t[1].Where(c => !char.IsWhiteSpace(c))), StringComparer.Ordinal);

    [Theory]
    [InlineData("pkcs1")]
    [InlineData("pkcs8")]
    public void A_letter_with_utf8_subject_and_cyrillic_body_verifies_after_a_round_trip(string format)
    {
        var pem = format == "pkcs1" ? _key.ExportRSAPrivateKeyPem() : _key.ExportPkcs8PrivateKeyPem();
        var builder = LetterFixture.Builder(new LetterSigner(Options(pem)));

        var built = LetterFixture.Build(builder, LetterFixture.Subscriber(), "Анна, новости недели 🎉");
        var (valid, message, signature) = Verify(LetterFixture.Bytes(built));

        Assert.True(valid);
        Assert.Equal("Анна, новости недели 🎉", message.Subject);
        Assert.Contains("Новости недели", message.TextBody, StringComparison.Ordinal);
        var tags = Tags(signature);
        Assert.Equal("relaxed/relaxed", tags["c"]);
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal(("example.com", "drip2026"), (tags["d"], tags["s"]));
        var signed = tags["h"].Split(':').Select(h => h.ToLowerInvariant()).ToList();
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
        Assert.Contains("from", signed);
        Assert.Contains("feedback-id", signed);
    }

    [Fact]
    public void The_signed_letter_is_all_seven_bit_so_no_relay_needs_to_re_encode_it()
    {
        var builder = LetterFixture.Builder(new LetterSigner(Options(_key.ExportRSAPrivateKeyPem())));

        var bytes = LetterFixture.Bytes(LetterFixture.Build(builder, LetterFixture.Subscriber(), "Привет"));

        Assert.All(bytes, b => Assert.True(b < 0x80));
    }

    [Fact]
    public void Changing_the_body_after_signing_fails_verification()
    {
        var builder = LetterFixture.Builder(new LetterSigner(Options(_key.ExportRSAPrivateKeyPem())));
        var bytes = LetterFixture.Bytes(LetterFixture.Build(builder, LetterFixture.Subscriber(), "Новости", "Original text of the letter"));
        Assert.True(Verify(bytes).Valid);

        var tampered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(bytes).Replace("Original", "Tampered", StringComparison.Ordinal));

        Assert.False(Verify(tampered).Valid);
    }

    [Fact]
    public void Changing_a_signed_header_after_signing_fails_verification()
    {
        var builder = LetterFixture.Builder(new LetterSigner(Options(_key.ExportRSAPrivateKeyPem())));
        var message = LetterFixture.Reload(LetterFixture.Bytes(LetterFixture.Build(builder, LetterFixture.Subscriber(), "Sale")));

        message.Headers["List-Unsubscribe"] = "<https://elsewhere.example/u/x>";

        Assert.False(Verify(LetterFixture.Bytes(message)).Valid);
    }

    [Fact]
    public void Without_a_key_letters_go_out_unsigned()
    {
        var signer = new LetterSigner(new DkimOptions { Domain = "example.com", Selector = "drip2026" });

        var message = LetterFixture.Build(LetterFixture.Builder(signer), LetterFixture.Subscriber(), "Hello");

        Assert.False(signer.Enabled);
        Assert.DoesNotContain(message.Headers, h => h.Id == HeaderId.DkimSignature);
    }
}
