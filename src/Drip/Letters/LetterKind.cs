namespace Drip.Letters;

/// <summary>What a letter is for; the cadence rules balance these (DOMAIN §1).</summary>
public enum LetterKind
{
    Useful,
    News,
    Personal,
    Offer,
}
