using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Security;

namespace Drip.Delivery;

/// <summary>
/// DKIM-signs finished letters with the configured key (<see cref="DkimOptions"/>), or leaves them alone when no
/// key is configured. One <see cref="DkimSigner"/> serves every letter: it holds only the key and settings, and
/// each signature gets its own signing context, so concurrent dispatch connections can share it.
/// </summary>
public sealed class LetterSigner
{
    /// <summary>
    /// Every header a receiver or a list client acts on. MimeKit lists absent ones (Sender, Cc, List-Id) in
    /// <c>h=</c> as well, which is what we want: nobody on the way can add them without breaking the signature.
    /// List-Unsubscribe and List-Unsubscribe-Post must be covered, or receivers must not offer one-click (RFC 8058).
    /// </summary>
    public static IReadOnlyList<string> SignedHeaders { get; } =
    [
        "From", "Sender", "Reply-To", "Subject", "Date", "Message-ID", "To", "Cc", "MIME-Version", "Content-Type",
        "List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID",
    ];

    /// <summary>A signer that signs nothing, for tools and tests that send no real mail.</summary>
    public static LetterSigner Disabled { get; } = new((DkimSigner?)null);

    private readonly DkimSigner? _dkim;
    private readonly string[] _headers = [.. SignedHeaders];

    public LetterSigner(DkimOptions options)
        : this(options.Enabled ? CreateDkimSigner(options) : null)
    {
    }

    private LetterSigner(DkimSigner? dkim) => _dkim = dkim;

    public bool Enabled => _dkim is not null;

    public void Sign(MimeMessage message)
    {
        if (_dkim is null)
        {
            return;
        }
        // Prepare first: once a DKIM-Signature exists MailKit skips its own Prepare, and an 8-bit body sent to a
        // server without 8BITMIME gets re-encoded on the way and no longer matches the body hash (bh=).
        message.Prepare(EncodingConstraint.SevenBit);
        _dkim.Sign(message, _headers);
    }

    /// <summary>
    /// Loads the key and builds the signer. Throws <see cref="ArgumentException"/> when the text holds no PEM key,
    /// <see cref="CryptographicException"/> when it is not a usable RSA private key, IO exceptions for the file.
    /// </summary>
    internal static DkimSigner CreateDkimSigner(DkimOptions options)
    {
        // .NET reads the PEM rather than MimeKit, so both PKCS#1 ("RSA PRIVATE KEY", openssl genrsa) and PKCS#8
        // ("PRIVATE KEY", openssl genpkey) work and failures come as two well-known exception types.
        using var rsa = LoadPrivateKey(options);
        var key = DotNetUtilities.GetRsaKeyPair(rsa.ExportParameters(includePrivateParameters: true)).Private;
        return new DkimSigner(key, options.Domain!.Trim().TrimEnd('.'), options.Selector!.Trim(), DkimSignatureAlgorithm.RsaSha256)
        {
            // relaxed/relaxed survives the header refolding and trailing-space changes relays make; simple/simple
            // (MimeKit's default) breaks on them.
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
    }

    /// <summary>The key size in bits, for the start-up check; throws like <see cref="CreateDkimSigner"/>.</summary>
    internal static int KeyBits(DkimOptions options)
    {
        using var rsa = LoadPrivateKey(options);
        return rsa.KeySize;
    }

    private static RSA LoadPrivateKey(DkimOptions options)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(options.ReadKey());
            // ImportFromPem takes a public key just as happily; exporting the private half is what proves there is one.
            _ = rsa.ExportParameters(includePrivateParameters: true);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }
}
