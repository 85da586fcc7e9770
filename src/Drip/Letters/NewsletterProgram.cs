using Drip.Cadence;

namespace Drip.Letters;

/// <summary>How a program's issues reach subscribers.</summary>
public enum ProgramMode
{
    /// <summary>Each subscriber starts at the first letter when they join and walks through the pool.</summary>
    Evergreen,

    /// <summary>Everyone gets the current issue in the same week; new joiners start at the current issue.</summary>
    Broadcast,
}

/// <summary>
/// A stream of letters on a cadence (the weekly newsletter), from <c>templates/programs/</c>: a pool of
/// letters by kind and the rules that order and place them — N non-offer letters then one offer, the
/// non-offers rotating through the mix, so many a week, each kind in its own local window.
/// </summary>
public sealed class NewsletterProgram
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public ProgramMode Mode { get; init; }

    /// <summary>Broadcast only: the Monday of the week that carries issue 1.</summary>
    public DateOnly? Start { get; init; }

    public int LettersPerWeek { get; init; } = 2;

    /// <summary>How many non-offer letters come before each offer (the "3 : 1" rule).</summary>
    public int OfferAfter { get; init; } = 3;

    /// <summary>The kinds the non-offer letters rotate through, in order (the "33/33/33" rule).</summary>
    public IReadOnlyList<string> Mix { get; init; } = [LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal];

    /// <summary>The selling kind that comes after every <see cref="OfferAfter"/> letters.</summary>
    public string OfferKind { get; init; } = LetterKinds.Offer;

    /// <summary>Letter ids by kind, in the order they go out.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Pool { get; init; }

    /// <summary>Windows by letter size, then by kind, then <c>default</c>.</summary>
    public required IReadOnlyDictionary<string, SendingWindow> Windows { get; init; }

    public (SendingWindow Window, string Name) WindowFor(Letter letter)
    {
        if (letter.Size is { } size && Windows.TryGetValue(size, out var bySize))
        {
            return (bySize, size);
        }
        if (Windows.TryGetValue(letter.Kind, out var byKind))
        {
            return (byKind, letter.Kind);
        }
        if (letter.Kind == OfferKind)
        {
            return (OfferDefault, letter.Kind);
        }
        return (Windows.TryGetValue("default", out var d) ? d : SendingWindow.Default, "default");
    }

    /// <summary>
    /// Every window the program can send in, by name: those configured, plus the built-in offer and default
    /// windows where <see cref="WindowFor"/> would fall back to them.
    /// </summary>
    public IReadOnlyList<(string Name, SendingWindow Window)> AllWindows()
    {
        var all = Windows.Select(kv => (kv.Key, kv.Value)).ToList();
        if (!Windows.ContainsKey(OfferKind))
        {
            all.Add((OfferKind, OfferDefault));
        }
        if (!Windows.ContainsKey("default"))
        {
            all.Add(("default", SendingWindow.Default));
        }
        return all;
    }

    private static readonly SendingWindow OfferDefault = SendingWindow.Parse("Wed-Thu 10:00-12:00");

    /// <summary>
    /// The letter at a position in the program (0-based), with the rule that chose it; null once the
    /// kind that position needs has run out of letters — the program is over for that subscriber (evergreen)
    /// or for everyone (broadcast). Nothing is ever sent twice by wrapping around.
    /// </summary>
    public ProgramLetter? At(int position)
    {
        var cycle = OfferAfter + 1;
        var round = position / cycle;
        var slot = position % cycle;
        if (slot == OfferAfter)
        {
            return Take(OfferKind, round, $"{OfferKind} after {OfferAfter} letters that give value ({OfferAfter}:1)");
        }
        var n = round * OfferAfter + slot;
        var kind = Mix[n % Mix.Count];
        return Take(kind, n / Mix.Count, $"{kind} in the {string.Join("/", Mix)} rotation");
    }

    private ProgramLetter? Take(string kind, int index, string why) =>
        Pool.TryGetValue(kind, out var letters) && index < letters.Count ? new ProgramLetter(letters[index], kind, why) : null;
}

/// <summary>One position of a program: the letter, its kind, and why it is this one.</summary>
public sealed record ProgramLetter(string LetterId, string Kind, string Why);
