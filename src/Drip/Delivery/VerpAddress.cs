using Drip.Security;
using MimeKit;

namespace Drip.Delivery;

/// <summary>
/// The envelope sender of each letter: with <c>Sender:BounceAddress</c> set to <c>bounces@domain</c>, every
/// letter goes out as <c>bounces+TOKEN@domain</c> (VERP), where TOKEN is a signed subscriber id. A bounce
/// then names its subscriber from the address it was sent to, even when the report itself is mangled.
/// </summary>
public sealed class VerpAddress(TokenSigner signer, SenderOptions sender)
{
    public MailboxAddress For(Guid subscriberId)
    {
        var bounce = sender.BounceAddress is { Length: > 0 } b ? b : sender.Address;
        var at = bounce.LastIndexOf('@');
        var local = bounce[..at];
        // A plus address already (bounces+x@) is used as it is: its owner chose it.
        return local.Contains('+', StringComparison.Ordinal)
            ? MailboxAddress.Parse(bounce)
            : new MailboxAddress("", $"{local}+{signer.Sign(TokenPurpose.Bounce, subscriberId)}{bounce[at..]}");
    }

    /// <summary>The subscriber a VERP token names, or null when it is not one of ours.</summary>
    public Guid? SubscriberOf(string? token) => signer.Verify(token, TokenPurpose.Bounce)?.SubscriberId;

    /// <summary>The local part before the plus: <c>bounces</c>.</summary>
    public string Prefix
    {
        get
        {
            var bounce = sender.BounceAddress is { Length: > 0 } b ? b : sender.Address;
            var local = bounce[..bounce.LastIndexOf('@')];
            var plus = local.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? local : local[..plus];
        }
    }
}
