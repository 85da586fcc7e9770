using Drip.Letters;

namespace Drip.Authoring;

/// <summary>
/// A program (<c>templates/programs/NAME.yml</c>) as the browser form edits it: every value as text, so a wrong one can
/// be shown back as typed. <see cref="ToYaml"/> writes a tidy file with explaining comments; comments written by hand
/// in the file are not kept (the values are). The field names are the form's.
/// </summary>
public sealed class ProgramDraft
{
    public const string WindowField = "windows.";

    public string Name { get; set; } = "";

    /// <summary>evergreen or broadcast.</summary>
    public string Mode { get; set; } = "evergreen";

    /// <summary>Broadcast only: a date in the week of issue 1, <c>2026-01-05</c>.</summary>
    public string Start { get; set; } = "";

    public string LettersPerWeek { get; set; } = "2";

    public string OfferAfter { get; set; } = "3";

    public string OfferKind { get; set; } = LetterKinds.Offer;

    public List<string> Mix { get; set; } = [LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal];

    /// <summary>Window by name (default, a kind, or a letter size), in file order; an empty window is left out.</summary>
    public List<KeyValuePair<string, string>> Windows { get; set; } = [];

    /// <summary>Letter ids, by kind in the order they go out.</summary>
    public List<string> Pool { get; set; } = [];

    public static ProgramDraft Parse(string yaml)
    {
        var file = DraftYaml.Read<ProgramFile>(yaml);
        return new ProgramDraft
        {
            Name = file.Name ?? "",
            Mode = file.Mode ?? "evergreen",
            Start = file.Start ?? "",
            LettersPerWeek = file.LettersPerWeek ?? "2",
            OfferAfter = file.OfferAfter ?? "3",
            OfferKind = file.OfferKind ?? LetterKinds.Offer,
            Mix = file.Mix ?? [LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal],
            Windows = (file.Windows ?? []).ToList(),
            Pool = file.Pool ?? [],
        };
    }

    /// <summary>What the form itself can tell is wrong (a number that is not one); lint checks the rest with the whole folder.</summary>
    public IReadOnlyDictionary<string, string> Check()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        DraftYaml.WholeNumber(errors, "letters_per_week", LettersPerWeek);
        DraftYaml.WholeNumber(errors, "offer_after", OfferAfter);
        return errors;
    }

    public GeneratedFile ToYaml()
    {
        var yaml = new YamlWriter()
            .Comment($"""
                A newsletter program{(Name.Length > 0 ? ": " + Name : "")}
                Saved from Drip's browser editor; edit it here or there, both read and write this file.
                A save in the browser rewrites the file with these comments, not the ones written by hand.
                """)
            .Line(Name.Length > 0 ? $"name: {YamlWriter.Scalar(Name)}" : "# name: (none; the file name is shown)", "name")
            .Comment("""
                evergreen: every subscriber starts at the first letter when they join and walks through the pool.
                broadcast: everyone gets the current issue in the same week, issue 1 in the week of start.
                """)
            .Key("mode", Mode, "mode");
        if (Start.Length > 0)
        {
            yaml.Key("start", Start, "start");
        }
        yaml.Key("letters_per_week", LettersPerWeek, "letters_per_week")
            .Comment($"{OfferAfter} letters that give value, then 1 of kind {OfferKind}.")
            .Key("offer_after", OfferAfter, "offer_after")
            .Key("offer_kind", OfferKind, "offer_kind")
            .Comment("The letters that give value rotate through these kinds, in this order.")
            .Line($"mix: [{string.Join(", ", Mix.Select(YamlWriter.Scalar))}]", "mix");
        var windows = Windows.Where(w => w.Value.Length > 0).ToList();
        if (windows.Count > 0)
        {
            yaml.Comment("Sending windows in each subscriber's own time zone: by letter size, then kind, then default.")
                .Line("windows:", null);
            foreach (var (name, window) in windows)
            {
                yaml.Line($"  {YamlWriter.Scalar(name)}: {YamlWriter.Scalar(window)}", WindowField + name);
            }
        }
        yaml.Comment("""
                The letters, by kind in the order they go out. When the kind a position needs runs out,
                the program is over for that subscriber: nothing is ever sent twice.
                """);
        if (Pool.Count == 0)
        {
            yaml.Line("pool: []", "pool");
        }
        else
        {
            yaml.Line("pool:", "pool");
            foreach (var id in Pool)
            {
                yaml.Line("  - " + YamlWriter.Scalar(id), "pool");
            }
        }
        return yaml.Build();
    }

    private sealed class ProgramFile
    {
        public string? Name { get; set; }
        public string? Mode { get; set; }
        public string? Start { get; set; }
        public string? LettersPerWeek { get; set; }
        public string? OfferAfter { get; set; }
        public string? OfferKind { get; set; }
        public List<string>? Mix { get; set; }
        public Dictionary<string, string>? Windows { get; set; }
        public List<string>? Pool { get; set; }
    }
}
