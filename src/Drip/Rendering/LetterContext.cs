namespace Drip.Rendering;

/// <summary>The per-send values a letter needs besides the subscriber: links and who it is from.</summary>
public sealed record LetterContext(string UnsubscribeUrl, SenderIdentity Sender, IReadOnlyDictionary<string, string> Links)
{
    /// <summary>Values for this one send (<c>years</c>, <c>discount_code</c>), offered to the template as top-level names.</summary>
    public IReadOnlyDictionary<string, string>? Values { get; init; }
}

/// <summary>Who the letters come from, and the postal address every commercial letter must show.</summary>
public sealed record SenderIdentity(string Name, string Address, string PostalAddress);
