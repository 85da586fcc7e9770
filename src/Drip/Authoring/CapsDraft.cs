using Drip.Cadence;
using Drip.Letters;

namespace Drip.Authoring;

/// <summary>
/// The frequency caps file (<c>templates/cadence.yml</c>) as the browser form edits it. A value left empty is left out
/// of the file, so its <c>Cadence:*</c> configuration value applies.
/// </summary>
public sealed class CapsDraft
{
    public string MaxPerDay { get; set; } = "";

    public string MaxPerWeek { get; set; } = "";

    /// <summary>The least time between two letters: <c>20h</c>, <c>90m</c>, <c>1d</c>.</summary>
    public string MinGap { get; set; } = "";

    public string FewerPerWeek { get; set; } = "";

    /// <summary>The caps in force, to start the form from.</summary>
    public static CapsDraft From(FrequencyCaps caps) => new()
    {
        MaxPerDay = caps.MaxPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MaxPerWeek = caps.MaxPerWeek.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MinGap = new DelayRange(caps.MinGap, caps.MinGap).ToString(),
        FewerPerWeek = caps.FewerPerWeek.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The file's values; a key it leaves out stays empty.</summary>
    public static CapsDraft Parse(string yaml)
    {
        var file = DraftYaml.Read<CapsFile>(yaml);
        return new CapsDraft
        {
            MaxPerDay = file.MaxPerDay ?? "", MaxPerWeek = file.MaxPerWeek ?? "", MinGap = file.MinGap ?? "", FewerPerWeek = file.FewerPerWeek ?? "",
        };
    }

    public IReadOnlyDictionary<string, string> Check()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        DraftYaml.WholeNumber(errors, "max_per_day", MaxPerDay, optional: true);
        DraftYaml.WholeNumber(errors, "max_per_week", MaxPerWeek, optional: true);
        DraftYaml.WholeNumber(errors, "fewer_per_week", FewerPerWeek, optional: true);
        return errors;
    }

    public GeneratedFile ToYaml()
    {
        var yaml = new YamlWriter().Comment("""
            Frequency caps: limits per subscriber across every program, sequence and date letter.
            This file wins over the Cadence:* configuration for the keys it has; a key left out keeps its configured value.
            Saved from Drip's browser editor; edit it here or there, both read and write this file.
            """);
        void Add(string key, string value, string comment)
        {
            if (value.Length > 0)
            {
                yaml.Comment(comment).Key(key, value, key);
            }
        }
        Add("max_per_day", MaxPerDay, "At most this many marketing letters on one local day.");
        Add("max_per_week", MaxPerWeek, "At most this many in a local week, Monday to Sunday.");
        Add("min_gap", MinGap, "The least time between two letters to one person: 20h, 90m, 1d.");
        Add("fewer_per_week", FewerPerWeek, "The weekly cap for someone who chose \"fewer letters\" on the preference page.");
        return yaml.Build();
    }

    private sealed class CapsFile
    {
        public string? MaxPerDay { get; set; }
        public string? MaxPerWeek { get; set; }
        public string? MinGap { get; set; }
        public string? FewerPerWeek { get; set; }
    }
}
