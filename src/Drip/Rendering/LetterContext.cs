namespace Drip.Rendering;

/// <summary>The per-send values a letter needs besides the subscriber: links and who it is from.</summary>
public sealed record LetterContext(string UnsubscribeUrl, SenderIdentity Sender, IReadOnlyDictionary<string, string> Links);

/// <summary>Who the letters come from, and the postal address every commercial letter must show.</summary>
public sealed record SenderIdentity(string Name, string Address, string PostalAddress);
