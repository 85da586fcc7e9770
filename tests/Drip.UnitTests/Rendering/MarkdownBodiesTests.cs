using Drip.Letters;
using Drip.Rendering;
using Drip.Subscribers;

namespace Drip.UnitTests.Rendering;

/// <summary>
/// A letter's body is parsed from Markdown once per distinct Markdown text: readers whose body renders the same share
/// it, every reader still gets their own, and a letter edited or reloaded starts afresh.
/// </summary>
public sealed class MarkdownBodiesTests : IDisposable
{
    private readonly TemplateFolder _templates = new();
    private static readonly LetterContext Context = new("https://drip.example/u/tok123",
        new SenderIdentity("Example Shop", "news@example.com", "12 Garden Street"), new Dictionary<string, string>());

    private static Subscriber Person(string first) => new() { Id = Guid.NewGuid(), Email = $"{first.ToLowerInvariant()}@example.org", FirstName = first };

    private static Letter AnyLetter(string id) => new()
    {
        Id = id, Path = id, Kind = "news", Subject = Scriban.Template.Parse("s"), Body = Scriban.Template.Parse("b"),
    };

    [Fact]
    public void The_same_markdown_is_made_once_and_different_markdown_each_time()
    {
        var bodies = new MarkdownBodies();
        var letter = AnyLetter("a");
        var made = new List<string>();
        MarkdownBody Make(string markdown)
        {
            made.Add(markdown);
            return new MarkdownBody($"<p>{markdown}</p>", markdown);
        }

        var first = bodies.Get(letter, "Dear Ada,", Make);
        var again = bodies.Get(letter, "Dear Ada,", Make);
        var other = bodies.Get(letter, "Dear Bob,", Make);
        var otherLetter = bodies.Get(AnyLetter("a"), "Dear Ada,", Make);

        Assert.Same(first, again);
        Assert.Equal("<p>Dear Bob,</p>", other.Html);
        Assert.Equal("<p>Dear Ada,</p>", otherLetter.Html);
        // A letter object of its own (an edited or reloaded letter, even with the same id) does not see the old bodies.
        Assert.Equal(["Dear Ada,", "Dear Bob,", "Dear Ada,"], made);
    }

    [Fact]
    public void Past_the_limit_a_body_is_made_every_time_and_still_right()
    {
        var bodies = new MarkdownBodies();
        var letter = AnyLetter("a");
        var made = 0;
        MarkdownBody Make(string markdown)
        {
            made++;
            return new MarkdownBody(markdown, markdown);
        }

        for (var i = 0; i < MarkdownBodies.PerLetter; i++)
        {
            bodies.Get(letter, $"reader {i}", Make);
        }
        var beyond = bodies.Get(letter, "one more", Make);
        var beyondAgain = bodies.Get(letter, "one more", Make);
        var kept = bodies.Get(letter, "reader 0", Make);

        Assert.Equal("one more", beyond.Html);
        Assert.Equal("one more", beyondAgain.Html);
        Assert.Equal("reader 0", kept.Html);
        Assert.Equal(MarkdownBodies.PerLetter + 2, made);
    }

    [Fact]
    public void Senders_adding_at_the_same_time_keep_exactly_the_limit()
    {
        var bodies = new MarkdownBodies();
        var letter = AnyLetter("a");
        var readers = 4 * MarkdownBodies.PerLetter;
        Parallel.For(0, readers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => bodies.Get(letter, $"reader {i}", m => new MarkdownBody(m, m)));

        var made = 0;
        for (var i = 0; i < readers; i++)
        {
            Assert.Equal($"reader {i}", bodies.Get(letter, $"reader {i}", m =>
            {
                made++;
                return new MarkdownBody(m, m);
            }).Html);
        }

        Assert.Equal(readers - MarkdownBodies.PerLetter, made);
    }

    [Fact]
    public void Readers_sharing_a_first_name_share_a_body_and_each_reader_gets_their_own_name()
    {
        var library = _templates.Letter("x", "{{ greeting }}\n\nThe **linen** is back, {{ subscriber.first_name }}.", "News").Load();
        Assert.Empty(library.Problems);
        var letter = library.FindLetter("x")!;
        var renderer = new LetterRenderer(library, new RenderLimits());

        var ada = renderer.Render(letter, Person("Ada"), Context);
        var bob = renderer.Render(letter, Person("Bob"), Context);
        var adaAgain = renderer.Render(letter, Person("Ada"), Context);
        var hostile = renderer.Render(letter, Person("<b>Eve</b>"), Context);

        Assert.Contains("<p>Dear Ada,</p>", ada.Html);
        Assert.Contains("The <strong>linen</strong> is back, Ada.", ada.Html);
        Assert.Contains("<p>Dear Bob,</p>", bob.Html);
        Assert.Contains("The linen is back, Bob.", bob.Text);
        Assert.Equal(ada.Html, adaAgain.Html);
        Assert.Equal(ada.Text, adaAgain.Text);
        Assert.DoesNotContain("<b>Eve</b>", hostile.Html);
        Assert.Contains("&lt;b&gt;Eve&lt;/b&gt;", hostile.Html);
    }

    public void Dispose() => _templates.Dispose();
}
