namespace Drip.Letters;

/// <summary>
/// The labels that say what a letter is for (DOMAIN §1). The set is configurable (<c>Templates:Kinds</c>),
/// so a list can use 003's other split — useful / about us / selling — instead of the default one.
/// </summary>
public static class LetterKinds
{
    public const string News = "news";
    public const string Useful = "useful";
    public const string Personal = "personal";
    public const string Offer = "offer";

    /// <summary>
    /// Letters that serve the subscription itself (the opt-in confirmation, "do you still want these?"):
    /// always allowed, outside the content mix, never chosen by a program.
    /// </summary>
    public const string Service = "service";

    public static readonly IReadOnlyList<string> Default = [News, Useful, Personal, Offer];
}
