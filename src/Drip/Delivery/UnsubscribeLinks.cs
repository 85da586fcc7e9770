using Drip.Security;

namespace Drip.Delivery;

/// <summary>Builds the signed unsubscribe links every letter carries (footer, List-Unsubscribe).</summary>
public sealed class UnsubscribeLinks(TokenSigner signer, PublicOptions publicOptions, SenderOptions sender)
{
    /// <summary>The page and one-click URL; the letter id rides in the token so unsubscribes are counted per letter.</summary>
    public string Url(Guid subscriberId, string? letterId = null) =>
        $"{publicOptions.BaseUrl.TrimEnd('/')}/u/{signer.Sign(TokenPurpose.Unsubscribe, subscriberId, letterId ?? "")}";

    /// <summary>The mailto: form, when an unsubscribe mailbox is configured; the token rides in the subject.</summary>
    public string? Mailto(Guid subscriberId) =>
        sender.UnsubscribeAddress is { Length: > 0 } box
            ? $"mailto:{box}?subject=unsubscribe%20{signer.Sign(TokenPurpose.Unsubscribe, subscriberId)}"
            : null;
}
