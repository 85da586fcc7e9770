using Drip.Letters;
using Drip.Rendering;

namespace Drip.UnitTests.Rendering;

public sealed class LintTests : IDisposable
{
    private readonly TemplateFolder _templates = new();

    private IReadOnlyList<TemplateProblem> Lint()
    {
        var library = _templates.Load();
        return new LetterLinter(library, new LetterRenderer(library, new RenderLimits())).Lint();
    }

    [Fact]
    public void Shipped_templates_lint_clean()
    {
        var library = TemplateLibrary.Load(TemplateFolder.Shipped);
        var problems = new LetterLinter(library, new LetterRenderer(library, new RenderLimits())).Lint();
        Assert.Empty(problems);
        Assert.Contains(library.Sequences, s => s.Trigger == "sale" && s.Steps.Count == 3);
    }

    [Fact]
    public void Syntax_error_in_the_body_is_reported_at_its_line_and_column_in_the_file()
    {
        _templates.Letter("broken", "First line\n\nSecond {{ if }} here\n");
        var problem = Lint()[0]; // Scriban adds a second finding for the same unclosed `if`
        Assert.Equal("templates/letters/broken.md", problem.File);
        Assert.Equal(7, problem.Line); // 4 front-matter lines, then the body's third line
        Assert.Equal(14, problem.Column);
        Assert.StartsWith("templates/letters/broken.md:7:14: ", problem.ToString());
    }

    [Fact]
    public void Syntax_error_in_the_subject_points_at_the_subject_line()
    {
        _templates.Letter("subject", "Body", subject: "Hi {{ name_or }");
        var problem = Lint()[0];
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void Missing_or_unknown_kind_and_bad_front_matter_are_reported()
    {
        _templates.Add("letters/nokind.md", "---\nsubject: Hi\n---\nBody");
        _templates.Add("letters/spam.md", "---\nsubject: Hi\nkind: spam\n---\nBody");
        _templates.Add("letters/yaml.md", "---\nsubject: [unclosed\nkind: news\n---\nBody");
        _templates.Add("letters/nofront.md", "Just a body");
        var problems = Lint();
        Assert.Contains(problems, p => p.File.EndsWith("nokind.md") && p.Message.Contains("kind"));
        Assert.Contains(problems, p => p.File.EndsWith("spam.md") && p.Line == 3 && p.Message.Contains("spam"));
        Assert.Contains(problems, p => p.File.EndsWith("yaml.md") && p.Line >= 2);
        Assert.Contains(problems, p => p.File.EndsWith("nofront.md") && p.Message.Contains("front-matter"));
    }

    [Fact]
    public void Runtime_errors_are_found_by_the_trial_render()
    {
        _templates.Letter("runtime", "Hello\n{{ nosuch_function 1 }}");
        var problem = Assert.Single(Lint());
        Assert.Equal(6, problem.Line);
    }

    [Fact]
    public void Sequence_naming_a_missing_letter_or_a_bad_delay_is_reported_at_the_step()
    {
        _templates.Letter("hello", "Hello");
        _templates.Add("sequences/welcome.yml", "trigger: signup\nsteps:\n  - letter: hello\n    delay: soon\n  - letter: missing\n    delay: 1d\n");
        var problems = Lint();
        Assert.Contains(problems, p => p.File.EndsWith("welcome.yml") && p.Line == 4 && p.Message.Contains("soon"));
        Assert.Contains(problems, p => p.File.EndsWith("welcome.yml") && p.Line == 5 && p.Message.Contains("missing"));
    }

    [Fact]
    public void Unknown_keys_in_front_matter_and_sequences_are_reported_at_their_line()
    {
        _templates.Add("letters/extra.md", "---\nsubject: Hi\nkind: news\ncolour: red\n---\nBody");
        _templates.Add("sequences/odd.yml", "trigger: sale\nsteps:\n  - letter: extra\n    dealy: 1d\n");
        var problems = Lint();
        Assert.Contains(problems, p => p.ToString().StartsWith("templates/letters/extra.md:4:") && p.Message.Contains("colour"));
        Assert.Contains(problems, p => p.ToString().StartsWith("templates/sequences/odd.yml:4:") && p.Message.Contains("dealy"));
    }

    public void Dispose() => _templates.Dispose();
}
