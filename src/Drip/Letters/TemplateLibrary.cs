using Drip.Cadence;
using Scriban;
using Scriban.Parsing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Drip.Letters;

/// <summary>
/// Everything under <c>templates/</c>, loaded and parsed: letters, sequences, programs, dates and layouts, plus
/// every problem found while parsing them. Share it freely: what it holds changes only through <see cref="Adopt"/>,
/// which swaps in a clean reload of the same folder at once (an edit saved in the browser, or a <c>git pull</c>).
/// </summary>
public sealed partial class TemplateLibrary
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    // Everything parsed from the folder, swapped as one reference by Adopt, so a reader never sees half of an edit.
    private volatile Contents _contents;
    private readonly TemplateSources _sources;

    private TemplateLibrary(string root, IReadOnlyList<string> kinds, Dictionary<string, Letter> letters, Dictionary<string, Sequence> sequences,
        Dictionary<string, Template> layouts, List<TemplateProblem> problems, TemplateSources sources)
    {
        Root = root;
        Kinds = kinds;
        _contents = new Contents(letters, sequences, layouts, problems);
        _sources = sources;
    }

    private sealed record Contents(Dictionary<string, Letter> Letters, Dictionary<string, Sequence> Sequences,
        Dictionary<string, Template> Layouts, List<TemplateProblem> Problems)
    {
        public Dictionary<string, NewsletterProgram> Programs { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, DateTrigger> Dates { get; } = new(StringComparer.OrdinalIgnoreCase);

        public CadenceFile? Caps { get; set; }
    }

    private Dictionary<string, Letter> _letters => _contents.Letters;
    private Dictionary<string, Sequence> _sequences => _contents.Sequences;
    private Dictionary<string, Template> _layouts => _contents.Layouts;
    private Dictionary<string, NewsletterProgram> _programs => _contents.Programs;
    private Dictionary<string, DateTrigger> _dates => _contents.Dates;

    /// <summary>Counts the edits adopted since start-up; a page can tell whether what it showed is still current.</summary>
    public int Version { get; private set; }

    /// <summary>
    /// Takes over what <paramref name="fresh"/> parsed (a reload of the same folder), in one step: every service holding this
    /// library sees the new letters, sequences and programs from its next call on. Only a library without problems is adopted.
    /// </summary>
    public void Adopt(TemplateLibrary fresh)
    {
        if (!string.Equals(fresh.Root, Root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"{fresh.Root} is not this library's folder {Root}", nameof(fresh));
        }
        if (fresh.Problems.Count > 0)
        {
            throw new ArgumentException($"a library with problems is never adopted: {fresh.Problems[0]}", nameof(fresh));
        }
        _contents = fresh._contents;
        Version++;
    }

    public IReadOnlyCollection<NewsletterProgram> Programs => _programs.Values;

    /// <summary>The kinds letters may have (<see cref="TemplatesOptions.Kinds"/>).</summary>
    public IReadOnlyList<string> Kinds { get; }

    public IReadOnlyCollection<DateTrigger> Dates => _dates.Values;

    /// <summary>Absolute path of the templates folder; nothing outside it is ever read by a template.</summary>
    public string Root { get; }

    public IReadOnlyList<TemplateProblem> Problems => _contents.Problems;

    public IReadOnlyCollection<Letter> Letters => _letters.Values;

    public IReadOnlyCollection<Sequence> Sequences => _sequences.Values;

    public Letter? FindLetter(string id) => _letters.GetValueOrDefault(id);

    public Template? FindLayout(string name) => _layouts.GetValueOrDefault(name);

    /// <summary>
    /// What sends which letters: each program (its pool), each sequence (its steps), each date letter, named by
    /// the outbox's <c>Source</c> (<c>program:weekly</c>, <c>sequence:post-sale</c>, <c>date:birthday</c>) in that order.
    /// </summary>
    public IReadOnlyList<LetterSource> Sources() =>
    [
        .. _programs.Values.OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(p => new LetterSource($"program:{p.Id}", p.Name, p.Pool.Values.SelectMany(ids => ids).ToList())),
        .. _sequences.Values.OrderBy(q => q.Id, StringComparer.Ordinal)
            .Select(q => new LetterSource($"sequence:{q.Id}", q.Name, q.Steps.Select(step => step.LetterId).ToList())),
        .. _dates.Values.OrderBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => new LetterSource($"date:{d.Id}", d.Name, [d.LetterId])),
    ];

    public IEnumerable<Sequence> SequencesFor(string eventName) =>
        _sequences.Values.Where(s => s.Trigger.Equals(eventName, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Loads the folder. Problems are collected, not thrown: lint wants all of them at once. <paramref name="edits"/>
    /// (full path → text) are read instead of the disk: what the folder would be if they were saved.
    /// </summary>
    public static TemplateLibrary Load(string root, IReadOnlyList<string>? kinds = null, IReadOnlyDictionary<string, string>? edits = null)
    {
        var sources = new TemplateSources(edits);
        kinds ??= LetterKinds.Default;
        root = System.IO.Path.GetFullPath(root);
        var problems = new List<TemplateProblem>();
        if (!Directory.Exists(root))
        {
            problems.Add(new TemplateProblem(root, 1, 1, "the templates folder does not exist"));
            return new TemplateLibrary(root, kinds, [], [], [], problems, sources);
        }

        var layouts = new Dictionary<string, Template>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in sources.Files(root, "layouts", ".sbn"))
        {
            var name = System.IO.Path.GetFileName(file)[..^".sbn".Length]; // base.html, base.txt
            var template = Template.Parse(sources.Read(file), file);
            Report(problems, root, template, lineOffset: 0, columnOffset: 0);
            layouts[name] = template;
        }

        var letters = new Dictionary<string, Letter>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in sources.Files(root, "letters", ".md"))
        {
            if (ParseLetter(root, file, sources.Read(file), kinds, problems) is { } letter)
            {
                letters[letter.Id] = letter;
                if (!layouts.ContainsKey(letter.Layout + ".html") || !layouts.ContainsKey(letter.Layout + ".txt"))
                {
                    problems.Add(new TemplateProblem(Relative(root, file), 1, 1,
                        $"layout '{letter.Layout}' needs layouts/{letter.Layout}.html.sbn and layouts/{letter.Layout}.txt.sbn"));
                }
            }
        }

        var sequences = new Dictionary<string, Sequence>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in sources.Files(root, "sequences", ".yml").Concat(sources.Files(root, "sequences", ".yaml")))
        {
            if (ParseSequence(root, file, sources, letters, problems) is { } sequence)
            {
                sequences[sequence.Id] = sequence;
            }
        }
        var library = new TemplateLibrary(root, kinds, letters, sequences, layouts, problems, sources);
        library.LoadPrograms(problems);
        library.LoadDates(problems);
        library.LoadCaps(problems);
        return library;
    }

    /// <summary>A path as problems and the API show it: from the templates folder's own name down, e.g. <c>templates/letters/x.md</c>.</summary>
    public static string Relative(string root, string file) =>
        System.IO.Path.Combine(System.IO.Path.GetFileName(root), System.IO.Path.GetRelativePath(root, file));

    private static Letter? ParseLetter(string root, string file, string text, IReadOnlyList<string> kinds, List<TemplateProblem> problems)
    {
        var rel = Relative(root, file);
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
        {
            problems.Add(new TemplateProblem(rel, 1, 1, "a letter starts with a front-matter block: '---', subject and kind, '---'"));
            return null;
        }
        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        if (end < 0)
        {
            problems.Add(new TemplateProblem(rel, 1, 1, "the front-matter block is not closed with '---'"));
            return null;
        }
        var yaml = text[4..(end + 1)];
        var afterFence = text.IndexOf('\n', end + 1);
        var body = afterFence < 0 ? "" : text[(afterFence + 1)..];
        var bodyLine = yaml.Count(c => c == '\n') + 3;

        LetterFrontMatter? meta;
        try
        {
            meta = Yaml.Deserialize<LetterFrontMatter>(yaml);
        }
        catch (YamlException e)
        {
            // +1 for the opening '---' line.
            problems.Add(new TemplateProblem(rel, (int)e.Start.Line + 1, (int)e.Start.Column, Unwrap(e)));
            return null;
        }
        if (meta is null || string.IsNullOrWhiteSpace(meta.Subject))
        {
            problems.Add(new TemplateProblem(rel, 2, 1, "front matter needs a 'subject'"));
            return null;
        }
        if (string.IsNullOrWhiteSpace(meta.Kind))
        {
            problems.Add(new TemplateProblem(rel, 1, 1, $"front matter needs a 'kind': {string.Join(", ", kinds)}"));
            return null;
        }
        var kind = meta.Kind.Trim().ToLowerInvariant();
        if (!kinds.Contains(kind) && kind != LetterKinds.Service)
        {
            // +2: one for the opening '---', one because LineOf counts from zero.
            problems.Add(new TemplateProblem(rel, LineOf(yaml, "kind") + 2, 1,
                $"kind '{meta.Kind}' is not one of {string.Join(", ", kinds)}"));
            return null;
        }

        var subject = ParseField(problems, rel, yaml, "subject", meta.Subject);
        var preheader = meta.Preheader is null ? null : ParseField(problems, rel, yaml, "preheader", meta.Preheader);
        var bodyTemplate = Template.Parse(body, file);
        Report(problems, root, bodyTemplate, bodyLine - 1, 0, rel);
        return new Letter
        {
            Id = System.IO.Path.GetFileNameWithoutExtension(file),
            Path = file,
            Kind = kind,
            Size = meta.Size,
            Subject = subject,
            SubjectSource = meta.Subject,
            Preheader = preheader,
            Body = bodyTemplate,
            Layout = meta.Layout ?? "base",
            BodyLine = bodyLine,
        };
    }

    private static Template ParseField(List<TemplateProblem> problems, string rel, string yaml, string key, string value)
    {
        var template = Template.Parse(value, rel);
        var line = LineOf(yaml, key);
        var lineText = yaml.Split('\n')[line];
        var column = Math.Max(0, lineText.IndexOf(value.Length > 0 ? value[0] : ' ', key.Length + 1));
        Report(problems, null, template, line + 1, column, rel);
        return template;
    }

    private static Sequence? ParseSequence(string root, string file, TemplateSources sources, Dictionary<string, Letter> letters, List<TemplateProblem> problems)
    {
        if (!TryReadYaml<SequenceFile>(root, file, sources, problems, out var data, out var rel, out var lines))
        {
            return null;
        }
        var text = string.Join('\n', lines);
        var count = problems.Count;
        if (data is null || string.IsNullOrWhiteSpace(data.Trigger))
        {
            problems.Add(new TemplateProblem(rel, 1, 1, "a sequence needs a 'trigger' (the event name that starts it)"));
            return null;
        }
        if (data.Steps is not { Count: > 0 })
        {
            problems.Add(new TemplateProblem(rel, LineOf(text, "steps") + 1, 1, "a sequence needs at least one step"));
            return null;
        }
        var window = (Start: new TimeOnly(10, 0), End: new TimeOnly(12, 0));
        if (data.Window is not null && !TryParseWindow(data.Window, out window))
        {
            problems.Add(new TemplateProblem(rel, LineOf(text, "window") + 1, 1, $"window '{data.Window}' is not like 10:00-12:00"));
        }
        var steps = new List<SequenceStep>();
        for (var i = 0; i < data.Steps.Count; i++)
        {
            var step = data.Steps[i];
            var stepLine = NthLine(lines, "letter:", i) + 1;
            if (string.IsNullOrWhiteSpace(step.Letter) || !letters.ContainsKey(step.Letter))
            {
                problems.Add(new TemplateProblem(rel, stepLine, 1, $"step {i + 1}: letter '{step.Letter}' is not in templates/letters/"));
                continue;
            }
            try
            {
                steps.Add(new SequenceStep(i, step.Letter, DelayRange.Parse(step.Delay ?? "0d"), step.Urgent));
            }
            catch (FormatException e)
            {
                problems.Add(new TemplateProblem(rel, NthLine(lines, "delay:", i) + 1, 1, $"step {i + 1}: {e.Message}"));
            }
        }
        if (problems.Count > count)
        {
            return null;
        }
        var id = System.IO.Path.GetFileNameWithoutExtension(file);
        return new Sequence
        {
            Id = id,
            Name = data.Name ?? id,
            Trigger = data.Trigger.Trim(),
            Steps = steps,
            WindowStart = window.Start,
            WindowEnd = window.End,
        };
    }

    private static bool TryParseWindow(string text, out (TimeOnly Start, TimeOnly End) window)
    {
        window = default;
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && TimeOnly.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var s)
            && TimeOnly.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var e) && e > s)
        {
            window = (s, e);
            return true;
        }
        return false;
    }

    private static void Report(List<TemplateProblem> problems, string? root, Template template, int lineOffset, int columnOffset, string? rel = null)
    {
        foreach (var m in template.Messages.Where(m => m.Type == ParserMessageType.Error))
        {
            var file = rel ?? (root is null ? m.Span.FileName : Relative(root, m.Span.FileName));
            var line = m.Span.Start.Line + 1 + lineOffset;
            var column = m.Span.Start.Column + 1 + (m.Span.Start.Line == 0 ? columnOffset : 0);
            problems.Add(new TemplateProblem(file, line, column, m.Message));
        }
    }

    private static int LineOf(string text, string key)
    {
        var lines = text.Split('\n');
        var i = Array.FindIndex(lines, l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        return Math.Max(0, i);
    }

    private static int NthLine(string[] lines, string token, int n)
    {
        var seen = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            line = line.StartsWith("- ", StringComparison.Ordinal) ? line[2..].TrimStart() : line;
            if (line.StartsWith(token, StringComparison.Ordinal) && ++seen == n)
            {
                return i;
            }
        }
        return 0;
    }

    private static string Unwrap(YamlException e) =>
        e.Message.Contains("No node deserializer", StringComparison.Ordinal) || e.InnerException is FormatException
            ? "expected plain text or yes/no here (quote a value that starts with [, {, ' or \")"
            : e.Message.Contains("not found on type", StringComparison.Ordinal)
                ? $"unknown key: {e.Message.Split("Property '", 2).Last().Split('\'')[0]}"
                : "front matter is not valid YAML: " + e.Message.Split("): ", 2).Last();

    private sealed class LetterFrontMatter
    {
        public string? Subject { get; set; }
        public string? Kind { get; set; }
        public string? Size { get; set; }
        public string? Preheader { get; set; }
        public string? Layout { get; set; }
    }

    /// <summary>A sequence file as YAML holds it; the browser's sequence form reads and writes the same shape.</summary>
    internal sealed class SequenceFile
    {
        public string? Name { get; set; }
        public string? Trigger { get; set; }
        public string? Window { get; set; }
        public List<StepFile>? Steps { get; set; }
    }

    internal sealed class StepFile
    {
        public string? Letter { get; set; }
        public string? Delay { get; set; }
        public bool Urgent { get; set; }
    }
}
