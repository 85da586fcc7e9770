using Drip.Delivery;
using Drip.Subscribers;
using Drip.UnitTests.Delivery;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.BadInput;

/// <summary>
/// Internationalised addresses over real SMTP (MailKit against a loopback server that announces exactly the
/// extensions given): an IDN domain is stored in Unicode and goes out as punycode unless the relay offers SMTPUTF8;
/// a UTF-8 local part goes out only to a relay that offers SMTPUTF8, and otherwise waits with the reason, never mangled.
/// </summary>
public sealed class InternationalAddressTests
{
    private static async Task<(SendOutcome Outcome, FakeSmtpServer Server)> SendTo(string email, params string[] extensions)
    {
        var server = new FakeSmtpServer(extensions);
        var transport = new SmtpTransport(new SmtpOptions { Host = "127.0.0.1", Port = server.Port, Security = SecureSocketOptions.None },
            new FakeTimeProvider(DateTimeOffset.UtcNow));
        var normalised = EmailAddress.Normalise(email, out var error) ?? throw new InvalidOperationException(error);
        var subscriber = new Subscriber { Id = Guid.NewGuid(), Email = normalised, EmailKey = EmailAddress.Key(normalised), FirstName = "Иван" };
        var builder = LetterFixture.Builder(LetterSigner.Disabled);
        var message = LetterFixture.Build(builder, subscriber, "Новости");
        using var session = transport.OpenSession();
        // The session blocks on its socket while the fake server answers on the pool.
        var outcome = await Task.Run(() => session.Send(message, builder.EnvelopeFrom(subscriber.Id), MessageBuilder.Recipient(subscriber), CancellationToken.None));
        return (outcome, server);
    }

    [Fact]
    public async Task An_idn_domain_goes_out_as_punycode_to_a_relay_without_smtputf8()
    {
        var (outcome, server) = await SendTo("ivan@пример.рф", "8BITMIME");
        await using var _ = server;

        Assert.Equal(SendResult.Delivered, outcome.Result);
        Assert.Contains("RCPT TO:<ivan@xn--e1afmkfd.xn--p1ai>", server.Commands);
        Assert.DoesNotContain(server.Commands, c => c.Contains("пример", StringComparison.Ordinal));
        Assert.DoesNotContain("пример", Assert.Single(server.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idn_domain_goes_out_in_unicode_to_a_relay_with_smtputf8()
    {
        var (outcome, server) = await SendTo("ivan@пример.рф", "8BITMIME", "SMTPUTF8");
        await using var _ = server;

        Assert.Equal(SendResult.Delivered, outcome.Result);
        Assert.Contains("RCPT TO:<ivan@пример.рф>", server.Commands);
        Assert.Contains(server.Commands, c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal) && c.Contains(" SMTPUTF8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_utf8_local_part_goes_out_with_smtputf8_when_the_relay_offers_it()
    {
        var (outcome, server) = await SendTo("почта@пример.рф", "8BITMIME", "SMTPUTF8");
        await using var _ = server;

        Assert.Equal(SendResult.Delivered, outcome.Result);
        Assert.Contains(server.Commands, c => c.StartsWith("MAIL FROM:", StringComparison.Ordinal) && c.Contains("SMTPUTF8", StringComparison.Ordinal));
        Assert.Contains(server.Commands, c => c.StartsWith("RCPT TO:<почта@", StringComparison.Ordinal));
        Assert.Contains("почта@", Assert.Single(server.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_utf8_local_part_waits_with_a_clear_reason_when_the_relay_lacks_smtputf8()
    {
        var (outcome, server) = await SendTo("почта@пример.рф", "8BITMIME");
        await using var _ = server;

        Assert.Equal(SendResult.Transient, outcome.Result);
        Assert.False(outcome.IsRecipientRefusal); // the address is fine; the relay is what cannot carry it
        Assert.Contains("does not offer SMTPUTF8", outcome.Detail);
        Assert.Contains("почта@пример.рф", outcome.Detail);
        Assert.DoesNotContain(server.Commands, c => c.StartsWith("RCPT", StringComparison.Ordinal) || c.StartsWith("MAIL", StringComparison.Ordinal));
        Assert.Empty(server.Messages);
    }
}
