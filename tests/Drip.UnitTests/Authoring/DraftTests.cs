using Drip.Authoring;
using Drip.Cadence;
using Drip.Letters;
using Drip.Planning;
using Drip.Rendering;

namespace Drip.UnitTests.Authoring;

/// <summary>What the browser forms write: a program, sequence or caps file generated from a form reads back as what was entered.</summary>
public sealed class DraftTests : IDisposable
{
    private readonly TemplateFolder _folder = new();

    public DraftTests()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TemplateFolder.Shipped, "letters")))
        {
            File.Copy(file, Path.Combine(_folder.Root, "letters", Path.GetFileName(file)));
        }
    }

    private TemplateLibrary LoadWith(string relative, string text)
    {
        _folder.Add(relative, text);
        return _folder.Load();
    }

    private static string Shipped(string relative) => File.ReadAllText(Path.Combine(TemplateFolder.Shipped, relative));

    [Fact]
    public void The_shipped_weekly_program_written_back_from_its_form_is_the_same_program()
    {
        var original = LoadWith("programs/weekly.yml", Shipped("programs/weekly.yml")).Programs.Single();

        var generated = ProgramDraft.Parse(Shipped("programs/weekly.yml")).ToYaml();
        var library = LoadWith("programs/weekly.yml", generated.Text);

        Assert.Empty(library.Problems);
        AssertSame(original, library.Programs.Single());
        Assert.StartsWith("# A newsletter program: The Example Shop letter\n", generated.Text);
    }

    [Fact]
    public void A_program_entered_in_the_form_reads_back_with_every_value_even_a_name_yaml_would_misread()
    {
        var draft = new ProgramDraft
        {
            Name = "Letters: \"the #1 list\", [weekly]",
            Mode = "broadcast",
            Start = "2026-01-07",
            LettersPerWeek = "3",
            OfferAfter = "2",
            OfferKind = "offer",
            Mix = ["personal", "news"],
            Windows = [new("default", "Mon,Wed 09:00-11:30"), new("offer", "Fri 10:00-12:00"), new("useful", "")],
            Pool = ["news-new-linen-colours", "personal-why-we-started", "offer-linen-week", "news-workshop-open-day"],
        };

        var program = LoadWith("programs/spring.yml", draft.ToYaml().Text).Programs.Single();

        Assert.Equal(draft.Name, program.Name);
        Assert.Equal((ProgramMode.Broadcast, new DateOnly(2026, 1, 5), 3, 2), (program.Mode, program.Start, program.LettersPerWeek, program.OfferAfter));
        Assert.Equal(["personal", "news"], program.Mix);
        Assert.Equal(["default", "offer"], program.Windows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Mon,Wed 09:00-11:30", program.Windows["default"].ToString());
        Assert.Equal(["news-new-linen-colours", "news-workshop-open-day"], program.Pool["news"]);
        Assert.Equal(["personal", "news", "offer"], Enumerable.Range(0, 3).Select(i => program.At(i)!.Kind));
    }

    [Fact]
    public void The_shipped_sequence_written_back_from_its_form_is_the_same_sequence()
    {
        var original = LoadWith("sequences/post-sale.yml", Shipped("sequences/post-sale.yml")).Sequences.Single();

        var library = LoadWith("sequences/post-sale.yml", SequenceDraft.Parse(Shipped("sequences/post-sale.yml")).ToYaml().Text);

        Assert.Empty(library.Problems);
        var again = library.Sequences.Single();
        Assert.Equal((original.Name, original.Trigger, original.WindowStart, original.WindowEnd), (again.Name, again.Trigger, again.WindowStart, again.WindowEnd));
        Assert.Equal(original.Steps, again.Steps);
    }

    [Fact]
    public void A_lint_problem_in_a_generated_program_is_sorted_to_the_field_that_caused_it()
    {
        var draft = ProgramDraft.Parse(Shipped("programs/weekly.yml"));
        draft.Windows = [new("default", "Mon-Sun 25:00-26:00"), new("offer", "Wed-Thu 10:00-12:00")];
        draft.Pool = [.. draft.Pool, "no-such-letter"];
        draft.OfferAfter = "99";
        var generated = draft.ToYaml();

        var problems = generated.Sort(LoadWith("programs/weekly.yml", generated.Text).Problems, "templates/programs/weekly.yml");

        Assert.Contains("the time part is not like 10:00-12:00", problems.ByField["windows.default"]);
        Assert.Contains("no-such-letter", problems.ByField["pool"]);
        Assert.Contains("offer_after must be between 0 and 20", problems.ByField["offer_after"]);
        Assert.Empty(problems.Other);
    }

    [Fact]
    public void A_step_problem_points_at_its_step_even_when_the_name_mentions_a_letter()
    {
        var draft = new SequenceDraft
        {
            Name = "The thank-you letter: after a sale",
            Trigger = "sale",
            Steps = [new("thank-you", "0d", true), new("no-such-letter", "7d", false), new("thank-you", "soon", false)],
        };
        var generated = draft.ToYaml();

        var problems = generated.Sort(LoadWith("sequences/post-sale.yml", generated.Text).Problems, "templates/sequences/post-sale.yml");

        Assert.Equal(["steps[1].letter", "steps[2].delay"], problems.ByField.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_empty_mix_between_offers_is_a_problem_rather_than_a_division_by_zero()
    {
        var draft = ProgramDraft.Parse(Shipped("programs/weekly.yml"));
        draft.Mix = [];

        var library = LoadWith("programs/weekly.yml", draft.ToYaml().Text);

        Assert.Contains(library.Problems, p => p.Message.StartsWith("mix needs at least one kind", StringComparison.Ordinal));
        Assert.Empty(library.Programs);
    }

    [Fact]
    public void Without_cadence_yml_there_are_no_caps_in_the_library_and_the_configuration_decides()
    {
        var library = _folder.Load();
        var configured = new FrequencyCaps { MaxPerWeek = 4 };

        Assert.Null(library.Caps);
        Assert.Same(configured, new CadencePlanner(library, configured, new PlanningOptions()).Caps);
    }

    [Fact]
    public void Cadence_yml_wins_over_the_configuration_for_the_caps_it_names_and_leaves_the_rest()
    {
        var library = LoadWith(CadenceFile.FileName, "max_per_week: 1\nmin_gap: 2d\n");
        var configured = new FrequencyCaps { MaxPerDay = 2, MaxPerWeek = 5, MinGap = TimeSpan.FromHours(20), FewerPerWeek = 2, Horizon = TimeSpan.FromDays(10) };

        var caps = new CadencePlanner(library, configured, new PlanningOptions()).Caps;

        Assert.Empty(library.Problems);
        Assert.Equal(new CadenceFile(null, 1, TimeSpan.FromDays(2), null), library.Caps);
        Assert.Equal((2, 1, TimeSpan.FromDays(2), 2, TimeSpan.FromDays(10)), (caps.MaxPerDay, caps.MaxPerWeek, caps.MinGap, caps.FewerPerWeek, caps.Horizon));
    }

    [Theory]
    [InlineData("max_per_day: 4\nmax_per_week: 2\n", 1, "max_per_day (4) is more than max_per_week (2)")]
    [InlineData("max_per_week: 0\n", 1, "max_per_week must be between 1 and 50")]
    [InlineData("max_per_day: 1\nfewer_per_week: 99\n", 2, "fewer_per_week must be between 1 and 50")]
    [InlineData("min_gap: soon\n", 1, "min_gap 'soon' is not like 20h, 90m or 1d")]
    [InlineData("min_gap: 10d\n", 1, "min_gap '10d' must be one length of time up to a week")]
    [InlineData("max_per_day: 1\nmin_gap: 1d..2d\n", 2, "min_gap '1d..2d' must be one length of time up to a week")]
    public void Bad_caps_are_lint_problems_at_their_line(string text, int line, string message)
    {
        var library = LoadWith(CadenceFile.FileName, text);

        var problem = Assert.Single(library.Problems);
        Assert.Equal(("templates/cadence.yml", line), (problem.File, problem.Line));
        Assert.StartsWith(message, problem.Message);
        Assert.Null(library.Caps);
    }

    [Fact]
    public void Caps_saved_through_the_editor_are_what_the_same_planner_uses_next()
    {
        var library = _folder.Load();
        var planner = new CadencePlanner(library, new FrequencyCaps(), new PlanningOptions());
        var editor = new TemplateEditor(library, new RenderLimits());
        Assert.Equal(3, planner.Caps.MaxPerWeek);

        var draft = new CapsDraft { MaxPerWeek = "1", MinGap = "90m" };
        var outcome = editor.Save(CadenceFile.FileName, draft.ToYaml().Text, "");

        Assert.True(outcome.IsSaved);
        Assert.Equal((1, TimeSpan.FromMinutes(90), 1), (planner.Caps.MaxPerWeek, planner.Caps.MinGap, planner.Caps.MaxPerDay));
        Assert.DoesNotContain("max_per_day", File.ReadAllText(Path.Combine(_folder.Root, CadenceFile.FileName)).Split('\n').Where(l => !l.StartsWith('#')));
    }

    [Fact]
    public void The_caps_form_starts_from_the_caps_in_force_and_writes_them_back_as_they_read()
    {
        var draft = CapsDraft.From(new FrequencyCaps { MaxPerDay = 2, MaxPerWeek = 4, MinGap = TimeSpan.FromHours(20), FewerPerWeek = 1 });

        var library = LoadWith(CadenceFile.FileName, draft.ToYaml().Text);

        Assert.Equal(new CadenceFile(2, 4, TimeSpan.FromHours(20), 1), library.Caps);
        Assert.Equal("20h", draft.MinGap);
    }

    private static void AssertSame(NewsletterProgram expected, NewsletterProgram actual)
    {
        Assert.Equal((expected.Id, expected.Name, expected.Mode, expected.Start, expected.LettersPerWeek, expected.OfferAfter, expected.OfferKind),
            (actual.Id, actual.Name, actual.Mode, actual.Start, actual.LettersPerWeek, actual.OfferAfter, actual.OfferKind));
        Assert.Equal(expected.Mix, actual.Mix);
        Assert.Equal(expected.Pool.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, string.Join(",", p.Value))),
            actual.Pool.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, string.Join(",", p.Value))));
        Assert.Equal(expected.Windows.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, w.Value.ToString())),
            actual.Windows.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, w.Value.ToString())));
    }

    public void Dispose() => _folder.Dispose();
}
