namespace Drip.Authoring;

/// <summary>
/// A sequence (<c>templates/sequences/NAME.yml</c>) as the browser form edits it: the event that starts it, its window,
/// and its steps, every value as text. <see cref="ToYaml"/> writes a tidy file; comments written by hand are not kept.
/// </summary>
public sealed class SequenceDraft
{
    public string Name { get; set; } = "";

    public string Trigger { get; set; } = "";

    /// <summary>Local time of day for steps delayed by whole days; empty means 10:00-12:00.</summary>
    public string Window { get; set; } = "";

    public List<StepDraft> Steps { get; set; } = [];

    public static string StepField(int index, string part) => $"steps[{index}].{part}";

    public static SequenceDraft Parse(string yaml)
    {
        var file = DraftYaml.Read<Letters.TemplateLibrary.SequenceFile>(yaml);
        return new SequenceDraft
        {
            Name = file.Name ?? "",
            Trigger = file.Trigger ?? "",
            Window = file.Window ?? "",
            Steps = (file.Steps ?? []).Select(s => new StepDraft(s.Letter ?? "", s.Delay ?? "0d", s.Urgent)).ToList(),
        };
    }

    /// <summary>What the form itself can tell is wrong; lint checks the letters, delays and window with the whole folder.</summary>
    public IReadOnlyDictionary<string, string> Check()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Trigger.Length == 0)
        {
            errors["trigger"] = "name the event that starts the sequence, e.g. sale";
        }
        return errors;
    }

    public GeneratedFile ToYaml()
    {
        var yaml = new YamlWriter()
            .Comment($"""
                A sequence{(Name.Length > 0 ? ": " + Name : "")}
                Saved from Drip's browser editor; edit it here or there, both read and write this file.
                A save in the browser rewrites the file with these comments, not the ones written by hand.
                """)
            .Line(Name.Length > 0 ? $"name: {YamlWriter.Scalar(Name)}" : "# name: (none; the file name is shown)", "name")
            .Comment("The event that starts it; each event starts it once for its subscriber.")
            .Key("trigger", Trigger, "trigger");
        if (Window.Length > 0)
        {
            yaml.Comment("Steps delayed by whole days go out in this window of the subscriber's own local time.")
                .Key("window", Window, "window");
        }
        yaml.Comment("""
            Each step is a letter some time after the event: 0d, 7d, 2h, 1w, or a range 10d..14d (each subscriber gets
            one fixed point in it). An urgent step is not held back by the frequency caps, but counts toward them.
            """);
        yaml.Line("steps:", "steps");
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            yaml.Line("  - letter: " + YamlWriter.Scalar(step.Letter), StepField(i, "letter"))
                .Line("    delay: " + YamlWriter.Scalar(step.Delay.Length > 0 ? step.Delay : "0d"), StepField(i, "delay"));
            if (step.Urgent)
            {
                yaml.Line("    urgent: true", StepField(i, "urgent"));
            }
        }
        return yaml.Build();
    }

}

/// <summary>One step of a sequence as the form has it.</summary>
public sealed record StepDraft(string Letter, string Delay, bool Urgent);
