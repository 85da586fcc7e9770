using Drip.Rendering;
using Drip.Subscribers;

namespace Drip.UnitTests.Rendering;

public sealed class RenderingTests : IDisposable
{
    private readonly TemplateFolder _templates = new();
    private static readonly LetterContext Context = new("https://drip.example/u/tok123",
        new SenderIdentity("Example Shop", "news@example.com", "12 Garden Street"),
        new Dictionary<string, string> { ["survey"] = "https://example.com/survey" });

    private static Subscriber Person(string? first = "Ada", string? middle = null, string? locale = null) => new()
    {
        Id = Guid.NewGuid(), Email = "ada@example.org", FirstName = first, MiddleName = middle, LastName = "Lovelace", Locale = locale,
        Fields = new(StringComparer.OrdinalIgnoreCase) { ["company"] = "Engines Ltd" },
    };

    private RenderedLetter Render(string body, Subscriber subscriber, string subject = "{{ name_or 'Friend' }}, hello")
    {
        var library = _templates.Letter("x", body, subject).Load();
        Assert.Empty(library.Problems);
        return new LetterRenderer(library, new RenderLimits()).Render(library.FindLetter("x")!, subscriber, Context);
    }

    [Fact]
    public void Name_appears_in_subject_and_greeting_and_falls_back_without_one()
    {
        var named = Render("{{ greeting }}\n\nBody.", Person());
        Assert.Equal("Ada, hello", named.Subject);
        Assert.StartsWith("Dear Ada,", named.Text);
        Assert.Contains("<p>Dear Ada,</p>", named.Html);

        var nameless = Render("{{ greeting }}\n\nBody.", Person(first: null));
        Assert.Equal("Friend, hello", nameless.Subject);
        Assert.StartsWith("Hello,", nameless.Text);
    }

    [Fact]
    public void Name_or_takes_its_fallback_from_a_pipe_or_a_number_and_wants_exactly_one()
    {
        Assert.Equal("Ada, hello", Render("Body.", Person(), subject: "{{ 'Friend' | name_or }}, hello").Subject);
        Assert.Equal("Friend, hello", Render("Body.", Person(first: null), subject: "{{ 'Friend' | name_or }}, hello").Subject);
        Assert.Equal("42, hello", Render("Body.", Person(first: null), subject: "{{ name_or 42 }}, hello").Subject);
        Assert.Equal("Dear Ada", Render("Dear {{ name_or 'you' }}", Person()).Text.Split('\n')[0]);

        var none = Assert.Throws<RenderException>(() => Render("Body.\n\n{{ name_or }}", Person()));
        var two = Assert.Throws<RenderException>(() => Render("Body.\n\n{{ name_or 'a' 'b' }}", Person()));
        Assert.Equal("templates/letters/x.md:7:11: Invalid number of arguments `0` passed to `name_or` while expecting `1` arguments", none.Message);
        Assert.Equal("templates/letters/x.md:7:16: Invalid number of arguments `2` passed to `name_or 'a' 'b'` while expecting `1` arguments", two.Message);
    }

    [Fact]
    public void A_value_on_several_lines_or_with_spaces_around_it_is_one_line_in_the_subject()
    {
        Assert.Equal("Ada Byron, hello", Render("Body.", Person(first: " Ada\n\tByron ")).Subject);
        Assert.Equal("Ada, hello", Render("Body.", Person(first: "Ada")).Subject);
    }

    [Fact]
    public void Russian_subscribers_are_greeted_formally_with_name_and_patronymic()
    {
        var letter = Render("{{ greeting }}", Person("Анна", "Петровна", "ru-RU"));
        Assert.StartsWith("Здравствуйте, Анна Петровна!", letter.Text);
        Assert.Equal("Анна Петровна, hello", letter.Subject);
    }

    [Fact]
    public void Subscriber_data_cannot_inject_html_markdown_or_headers()
    {
        var script = Render("Hi {{ subscriber.first_name }}!", Person("<script>alert(1)</script>"));
        Assert.DoesNotContain("<script>", script.Html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", script.Html);

        var link = Render("Hi {{ subscriber.first_name }}!", Person("[win](http://evil.example)"));
        Assert.DoesNotContain("href=\"http://evil.example\"", link.Html);
        Assert.Contains("[win](http://evil.example)", link.Text);

        // name_or hands out the name as the body's model holds it: escaped for Markdown, like every other value there.
        var byFunction = Render("Hi {{ name_or 'you' }}!", Person("[win](http://evil.example)"));
        Assert.DoesNotContain("href=\"http://evil.example\"", byFunction.Html);
        Assert.Contains("Hi [win](http://evil.example)!", byFunction.Text);
        Assert.Equal("[win](http://evil.example), hello", byFunction.Subject);

        var header = Render("Hi", Person("Ada\r\nBcc: all@example.com"));
        Assert.DoesNotContain('\n', header.Subject);
        Assert.DoesNotContain('\r', header.Subject);
    }

    [Fact]
    public void Plain_text_keeps_link_targets_and_list_bullets_and_unsafe_links_are_dropped()
    {
        var letter = Render("See [the survey]({{ links.survey }}).\n\n- one\n- two\n\n1. first\n2. second\n\n[bad](javascript:alert(1))", Person());
        Assert.Contains("See the survey (https://example.com/survey).", letter.Text);
        Assert.Contains("- one\n- two", letter.Text);
        Assert.Contains("1. first\n2. second", letter.Text);
        Assert.DoesNotContain("javascript:", letter.Html);
        Assert.Contains("<a href=\"https://example.com/survey\">the survey</a>", letter.Html);
    }

    [Fact]
    public void Layout_adds_footer_with_postal_address_and_unsubscribe_link_to_both_parts()
    {
        var letter = Render("Body", Person());
        Assert.Contains("12 Garden Street", letter.Text);
        Assert.Contains("https://drip.example/u/tok123", letter.Text);
        Assert.Contains("href=\"https://drip.example/u/tok123\"", letter.Html);
        Assert.Contains("12 Garden Street", letter.Html);
    }

    [Fact]
    public void A_value_one_template_sets_is_not_seen_by_the_next_though_they_share_the_letters_model()
    {
        // The subject, the preheader and both layouts read one model; what the subject assigns stays in the subject.
        var letter = Render("Body.", Person(), subject: "{{ unsubscribe_url = 'https://evil.example/' }}{{ subscriber.first_name }}, hello");

        Assert.Equal("Ada, hello", letter.Subject);
        Assert.Contains("https://drip.example/u/tok123", letter.Html);
        Assert.Contains("https://drip.example/u/tok123", letter.Text);
        Assert.DoesNotContain("evil.example", letter.Html);
        Assert.DoesNotContain("evil.example", letter.Text);
    }

    [Fact]
    public void Custom_fields_are_reachable_directly_and_under_fields()
    {
        var letter = Render("{{ subscriber.company }} / {{ subscriber.fields.company }}", Person());
        Assert.Contains("Engines Ltd / Engines Ltd", letter.Text);
    }

    [Fact]
    public void Sandbox_stops_endless_loops_eval_and_includes_outside_partials()
    {
        _templates.Add("partials/sign.sbn", "Yours, {{ sender.name }}");
        Assert.Contains("Yours, Example Shop", Render("{{ include 'sign.sbn' }}", Person()).Text);

        Assert.Throws<RenderException>(() => Render("{{ while true }}x{{ end }}", Person()));
        Assert.Throws<RenderException>(() => Render("{{ include '../letters/x.md' }}", Person()));
        Assert.Throws<RenderException>(() => Render("{{ include '/etc/passwd' }}", Person()));
        // `object` (and with it object.eval) is not among the builtins: the call fails instead of evaluating.
        var eval = Assert.Throws<RenderException>(() => Render("{{ object.eval '6*7' }}", Person()));
        Assert.Contains("letters/x.md:5:", eval.Message);
    }

    [Fact]
    public void Render_error_names_the_file_and_the_line_in_the_file()
    {
        var error = Assert.Throws<RenderException>(() => Render("line one\n\n{{ nosuch_function 1 }}", Person()));
        Assert.Contains("letters/x.md:7:", error.Message);
    }

    [Fact]
    public void One_renderer_serves_many_threads_each_with_its_own_subscriber()
    {
        var library = _templates.Letter("x", "{{ greeting }}", "{{ subscriber.first_name }}").Load();
        var renderer = new LetterRenderer(library, new RenderLimits());
        var letter = library.FindLetter("x")!;
        var mismatches = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var rendered = renderer.Render(letter, Person($"Reader{i}"), Context);
            if (rendered.Subject != $"Reader{i}" || !rendered.Text.StartsWith($"Dear Reader{i},", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(0, mismatches);
    }

    public void Dispose() => _templates.Dispose();
}
