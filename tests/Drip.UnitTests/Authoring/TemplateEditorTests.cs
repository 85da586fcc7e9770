using Drip.Authoring;
using Drip.Letters;
using Drip.Rendering;

namespace Drip.UnitTests.Authoring;

public sealed class TemplateEditorTests : IDisposable
{
    private readonly TemplateFolder _folder = new TemplateFolder()
        .Letter("hello", "{{ greeting }}\n\nHello.", subject: "Hello there")
        .Add("sequences/welcome.yml", "trigger: signup\nsteps:\n  - letter: hello\n    delay: 0d\n");

    private TemplateLibrary Library() => TemplateLibrary.Load(_folder.Root);

    private static string LetterText(string subject, string body) => $"---\nsubject: \"{subject}\"\nkind: useful\n---\n{body}";

    [Fact]
    public void A_clean_save_is_written_and_the_running_library_uses_it_at_once()
    {
        var library = Library();
        var editor = new TemplateEditor(library, new RenderLimits());
        var opened = editor.Open("letters/hello.md");

        var outcome = editor.Save("letters/hello.md", LetterText("Good morning", "{{ greeting }}\r\n\r\nNew text."), opened.Fingerprint);

        Assert.True(outcome.IsSaved);
        Assert.Equal("Good morning", library.FindLetter("hello")!.Subject.Render());
        var onDisk = File.ReadAllText(Path.Combine(_folder.Root, "letters", "hello.md"));
        Assert.Contains("New text.", onDisk);
        Assert.DoesNotContain("\r\n", onDisk);
        Assert.Equal(1, library.Version);
    }

    [Fact]
    public void A_save_that_breaks_the_template_is_refused_at_its_line_and_column_and_nothing_is_written()
    {
        var library = Library();
        var editor = new TemplateEditor(library, new RenderLimits());
        var before = File.ReadAllText(Path.Combine(_folder.Root, "letters", "hello.md"));

        var outcome = editor.Save("letters/hello.md", LetterText("Hi", "line one\n{{ if }}"), editor.Open("letters/hello.md").Fingerprint);

        Assert.False(outcome.IsSaved);
        var problem = outcome.Problems[0];
        Assert.Equal("templates/letters/hello.md", problem.File);
        Assert.Equal((6, 7), (problem.Line, problem.Column));
        Assert.Equal(before, File.ReadAllText(Path.Combine(_folder.Root, "letters", "hello.md")));
        Assert.Equal(0, library.Version);
    }

    [Fact]
    public void A_sequence_naming_a_letter_that_does_not_exist_is_checked_across_the_folder_and_refused()
    {
        var editor = new TemplateEditor(Library(), new RenderLimits());

        var outcome = editor.Save("sequences/welcome.yml", "trigger: signup\nsteps:\n  - letter: no-such-letter\n    delay: 0d\n",
            editor.Open("sequences/welcome.yml").Fingerprint);

        Assert.Contains(outcome.Problems, p => p.Message.Contains("no-such-letter", StringComparison.Ordinal));
    }

    [Fact]
    public void A_save_made_from_an_older_version_than_the_disk_is_a_conflict_showing_the_newer_text()
    {
        var library = Library();
        var editor = new TemplateEditor(library, new RenderLimits());
        var opened = editor.Open("letters/hello.md");
        File.WriteAllText(Path.Combine(_folder.Root, "letters", "hello.md"), LetterText("Changed in git", "From git."));

        var outcome = editor.Save("letters/hello.md", LetterText("From the browser", "Browser text."), opened.Fingerprint);

        Assert.True(outcome.IsConflict);
        Assert.Contains("From git.", outcome.OnDisk!.Text);
        Assert.Contains("From git.", File.ReadAllText(Path.Combine(_folder.Root, "letters", "hello.md")));
    }

    [Fact]
    public void A_new_letter_is_checked_with_the_folder_and_then_exists()
    {
        var library = Library();
        var editor = new TemplateEditor(library, new RenderLimits());
        Assert.False(editor.Open("letters/brand-new.md").Exists);

        var outcome = editor.Save("letters/brand-new.md", LetterText("New", "Body."), "");

        Assert.True(outcome.IsSaved);
        Assert.NotNull(library.FindLetter("brand-new"));
    }

    [Theory]
    [InlineData("../appsettings.json")]
    [InlineData("letters/../../secret.md")]
    [InlineData("letters/.hidden.md")]
    [InlineData("letters/hello.yml")]
    [InlineData("partials/x.sbn")]
    [InlineData("letters/Sub/x.md")]
    [InlineData("other.yml")]
    [InlineData("cadence.yaml")]
    [InlineData("programs/cadence.yml/x.yml")]
    public void Paths_outside_the_editable_folders_are_refused(string relative)
    {
        var editor = new TemplateEditor(Library(), new RenderLimits());

        Assert.Throws<ArgumentException>(() => editor.Open(relative));
    }

    [Fact]
    public void A_reload_from_a_broken_disk_keeps_the_last_good_folder_and_reports_the_problem()
    {
        var library = Library();
        var editor = new TemplateEditor(library, new RenderLimits());
        File.WriteAllText(Path.Combine(_folder.Root, "letters", "hello.md"), LetterText("Broken", "{{ for }}"));

        var problems = editor.Reload();

        Assert.NotEmpty(problems);
        Assert.Equal(problems, editor.Pending);
        Assert.Equal("Hello there", library.FindLetter("hello")!.Subject.Render());

        File.WriteAllText(Path.Combine(_folder.Root, "letters", "hello.md"), LetterText("Fixed", "Body."));
        Assert.Empty(editor.Reload());
        Assert.Empty(editor.Pending);
        Assert.Equal("Fixed", library.FindLetter("hello")!.Subject.Render());
    }

    public void Dispose() => _folder.Dispose();
}
