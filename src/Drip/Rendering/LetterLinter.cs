using Drip.Letters;
using Drip.Subscribers;
using Scriban.Syntax;

namespace Drip.Rendering;

/// <summary>
/// Checks every letter before anything is sent: the parse problems the library found, then a trial
/// render as a subscriber with every field and as one with none, so a runtime error (an unknown
/// function, a loop past its limit) is reported as <c>file:line:column</c> too.
/// </summary>
public sealed class LetterLinter(TemplateLibrary library, LetterRenderer renderer)
{
    public IReadOnlyList<TemplateProblem> Lint()
    {
        var problems = new List<TemplateProblem>(library.Problems);
        var context = new LetterContext("https://drip.invalid/u/token", new SenderIdentity("Drip", "news@drip.invalid", "1 Main St"),
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
        var broken = library.Problems.Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        foreach (var letter in library.Letters.OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            if (broken.Contains(TemplateLibrary.Relative(library.Root, letter.Path)))
            {
                continue; // its parse errors are already listed; a trial render would only repeat them
            }
            var imports = ImportFinder.Find(letter, library.Root);
            if (imports.Count > 0)
            {
                problems.AddRange(imports);
                continue;
            }
            foreach (var sample in Samples())
            {
                try
                {
                    renderer.Render(letter, sample, context);
                }
                catch (RenderException e)
                {
                    problems.Add(Parse(e.Message, letter));
                    break;
                }
            }
        }
        return problems.Distinct().ToList();
    }

    private static TemplateProblem Parse(string message, Letter letter)
    {
        // RenderException messages are "file:line:column: text".
        var parts = message.Split(':', 4);
        return parts.Length == 4 && int.TryParse(parts[1], out var line) && int.TryParse(parts[2], out var column)
            ? new TemplateProblem(parts[0], line, column, parts[3].Trim())
            : new TemplateProblem(TemplateLibrary.Relative(Path.GetDirectoryName(Path.GetDirectoryName(letter.Path))!, letter.Path), 1, 1, message);
    }

    /// <summary>
    /// A made-up subscriber with every field filled (a patronymic, a time zone, custom fields): the first trial render,
    /// and who a preview shows a letter to when no real subscriber is chosen.
    /// </summary>
    public static Subscriber SampleSubscriber() => new()
    {
        Id = Guid.Empty, Email = "anna@example.com", EmailKey = "anna@example.com", FirstName = "Anna", MiddleName = "Petrovna",
        LastName = "Ivanova", TimeZone = "Europe/Moscow", Locale = "ru-RU",
        Fields = new(StringComparer.OrdinalIgnoreCase) { ["birthday"] = "1990-03-08", ["company"] = "Example LLC" },
    };

    private static IEnumerable<Subscriber> Samples()
    {
        yield return SampleSubscriber();
        yield return new Subscriber { Id = Guid.Empty, Email = "someone@example.com", EmailKey = "someone@example.com" };
    }
}

/// <summary>
/// Finds <c>import</c> statements: a letter has its values and Scriban's builtins, and nothing else may be pulled in
/// (an <c>import System</c> silently does nothing today, but a letter that tries is refused rather than trusted).
/// </summary>
internal sealed class ImportFinder : ScriptVisitor
{
    private readonly List<Scriban.Syntax.ScriptImportStatement> _found = [];

    public static IReadOnlyList<TemplateProblem> Find(Letter letter, string root)
    {
        var problems = new List<TemplateProblem>();
        var file = TemplateLibrary.Relative(root, letter.Path);
        // Lines count as the renderer counts them: the body's from the file's top, the front matter's from its own.
        foreach (var (template, lineOffset) in new[] { (letter.Subject, 0), (letter.Preheader, 0), (letter.Body, letter.BodyLine - 1) })
        {
            if (template?.Page is null)
            {
                continue;
            }
            var finder = new ImportFinder();
            finder.Visit(template.Page);
            problems.AddRange(finder._found.Select(i => new TemplateProblem(file,
                i.Span.Start.Line + 1 + lineOffset, i.Span.Start.Column + 1,
                "'import' is not available in letters: a template sees only Drip's values and Scriban's builtins")));
        }
        return problems;
    }

    public override void Visit(Scriban.Syntax.ScriptImportStatement node)
    {
        _found.Add(node);
        base.Visit(node);
    }
}
