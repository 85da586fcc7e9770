using System.Security.Cryptography;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Security;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Drip.UnitTests.Delivery;

/// <summary>Builds letters the way the dispatcher does, and reads them back as a receiver would.</summary>
internal static class LetterFixture
{
    public static SenderOptions Sender() =>
        new() { Name = "Shop", Address = "news@mail.example.com", PostalAddress = "12 Garden Street", UnsubscribeAddress = "unsub@mail.example.com" };

    public static MessageBuilder Builder(LetterSigner signer, SenderOptions? sender = null)
    {
        sender ??= Sender();
        return new MessageBuilder(sender, Links(sender), new VerpAddress(Tokens(), sender), new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)), signer);
    }

    public static UnsubscribeLinks Links(SenderOptions sender) => new(Tokens(), new PublicOptions { BaseUrl = "https://drip.example" }, sender);

    private static TokenSigner Tokens() => new(new Dictionary<string, byte[]> { ["k"] = new byte[32] }, "k");

    public static Subscriber Subscriber(string first = "Анна", string? last = "Петрова") =>
        new() { Id = Guid.NewGuid(), Email = "anna@example.org", EmailKey = "anna@example.org", FirstName = first, LastName = last };

    public static MimeMessage Build(MessageBuilder builder, Subscriber subscriber, string subject, string text = "Здравствуйте, Анна!\nНовости недели — со скидкой 20 %.")
    {
        var entry = OutboxEntry.Create($"test:{subscriber.Id:N}", subscriber.Id, "news", "campaign:test", DateTimeOffset.UnixEpoch, false, DateTimeOffset.UnixEpoch);
        return builder.Build(entry, subscriber, new RenderedLetter(subject, null, $"<p>{text}</p>", text));
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return stream.ToArray();
    }

    public static MimeMessage Reload(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));

    /// <summary>Hands the verifier the test's public key instead of asking DNS.</summary>
    public sealed class StaticKeyLocator(RSA key) : DkimPublicKeyLocatorBase
    {
        private readonly AsymmetricKeyParameter _public = DotNetUtilities.GetRsaPublicKey(key.ExportParameters(false));

        public List<(string Domain, string Selector)> Asked { get; } = [];

        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default)
        {
            Asked.Add((domain, selector));
            return _public;
        }

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
