using Drip.Security;

namespace Drip.Delivery;

/// <summary>Builds the signed unsubscribe links every letter carries (footer, List-Unsubscribe).</summary>
public sealed class UnsubscribeLinks(TokenSigner signer, PublicOptions publicOptions, SenderOptions sender)
{
    public string Url(Guid subscriberId) =>
        $"{publicOptions.BaseUrl.TrimEnd('/')}/u/{signer.Sign(TokenPurpose.Unsubscribe, subscriberId)}";

    /// <summary>The mailto: form, when an unsubscribe mailbox is configured; the token rides in the subject.</summary>
    public string? Mailto(Guid subscriberId) =>
        sender.UnsubscribeAddress is { Length: > 0 } box
            ? $"mailto:{box}?subject=unsubscribe%20{signer.Sign(TokenPurpose.Unsubscribe, subscriberId)}"
            : null;
}
