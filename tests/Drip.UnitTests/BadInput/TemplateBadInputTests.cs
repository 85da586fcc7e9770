using Drip.Changes;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Feedback;
using Drip.History;
using Drip.Letters;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.BadInput;

/// <summary>
/// Templates run in a sandbox: a loop, recursion, output or time past its limit, an include outside
/// templates/partials/ and any reach for .NET members are refused by <c>drip lint</c> at their line and column;
/// and a template that fails for one subscriber only defers that one letter while the batch goes on.
/// </summary>
public sealed class TemplateBadInputTests : IDisposable
{
    private readonly TemplateFolder _templates = new();

    public void Dispose() => _templates.Dispose();

    /// <summary>Lints one letter whose body is <paramref name="body"/> (line 5 of its file) and returns its one problem.</summary>
    private TemplateProblem LintOne(string body, RenderLimits? limits = null)
    {
        _templates.Letter("bad", body);
        var library = _templates.Load();
        var problems = new LetterLinter(library, new LetterRenderer(library, limits ?? new RenderLimits())).Lint();
        var problem = Assert.Single(problems);
        Assert.Equal("templates/letters/bad.md", problem.File);
        return problem;
    }

    [Fact]
    public void An_endless_loop_is_stopped_by_the_loop_limit_at_its_line()
    {
        var problem = LintOne("Hello\n{{ while true }}x{{ end }}");

        Assert.Equal((6, 4), (problem.Line, problem.Column));
        Assert.Contains("iteration limit `1000`", problem.Message);
    }

    [Fact]
    public void A_range_past_the_loop_limit_is_refused_before_it_runs()
    {
        var problem = LintOne("{{ for i in 1..100000 }}{{ i }}{{ end }}");

        Assert.Equal(5, problem.Line);
        Assert.Contains("LoopLimit", problem.Message);
    }

    [Fact]
    public void Endless_recursion_is_stopped_by_the_recursion_limit()
    {
        var problem = LintOne("{{ func down; down; end }}\n{{ down }}");

        Assert.Equal(5, problem.Line);
        Assert.Contains("recursive depth limit", problem.Message);
    }

    [Fact]
    public void Enormous_output_is_stopped_by_the_output_limit()
    {
        var problem = LintOne("{{ for i in 1..900 }}{{ 'x' | string.pad_right 1000 }}{{ end }}");

        Assert.Equal(5, problem.Line);
        Assert.Contains("OutputLimit", problem.Message);
    }

    [Fact]
    public void A_template_that_runs_too_long_is_stopped_at_its_line_by_the_time_limit()
    {
        // Under the loop limit (999 turns), but each look at the clock finds 10 ms gone: 0.1 s is past within the loop.
        _templates.Letter("bad", "Hello\n{{ for i in 1..999 }}{{ x = i }}{{ end }}");
        var library = _templates.Load();
        var renderer = new LetterRenderer(library, new RenderLimits { TimeLimit = TimeSpan.FromMilliseconds(100) }, new SteppingClock(TimeSpan.FromMilliseconds(10)));

        var problem = Assert.Single(new LetterLinter(library, renderer).Lint());

        Assert.Equal(6, problem.Line);
        Assert.Contains("took longer than 0.1 s", problem.Message);
    }

    [Fact]
    public void Recursion_that_fans_out_within_the_depth_limit_is_stopped_by_the_time_limit()
    {
        // No loop and never deeper than 41 calls, but 2^41 calls in all: only the clock stops it (the real one here).
        var problem = LintOne("{{ func f(n) }}{{ if n > 0 }}{{ f(n - 1) }}{{ f(n - 1) }}{{ end }}{{ end }}{{ f(40) }}",
            new RenderLimits { TimeLimit = TimeSpan.FromMilliseconds(100) });

        Assert.Contains("took longer than 0.1 s", problem.Message);
    }

    /// <summary>A clock on which every reading finds <paramref name="step"/> more time gone.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now += step.Ticks;
    }

    [Theory]
    [InlineData("../letters/bad.md")]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("sub/../../layouts/default.html.sbn")]
    public void An_include_outside_templates_partials_is_refused(string path)
    {
        var problem = LintOne($"Hi\n\n{{{{ include '{path}' }}}}");

        Assert.Equal((7, 4), (problem.Line, problem.Column));
        Assert.Contains("outside templates/partials/", problem.Message);
        Assert.DoesNotContain("root:", problem.Message); // nothing of /etc/passwd leaks into the finding
    }

    [Fact]
    public void A_link_inside_partials_that_points_outside_is_refused()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_templates.Root)!, "secret.txt");
        File.WriteAllText(outside, "secret");
        File.CreateSymbolicLink(Path.Combine(_templates.Root, "partials", "innocent.sbn"), outside);

        var problem = LintOne("{{ include 'innocent.sbn' }}");

        Assert.Contains("links outside templates/partials/", problem.Message);
    }

    [Theory]
    [InlineData("{{ subscriber.GetType }}", "GetType")]
    [InlineData("{{ subscriber.email.GetType }}", "GetType")]
    [InlineData("{{ subscriber.email.Length }}", "Length")]
    [InlineData("{{ greeting.ToString }}", "ToString")]
    [InlineData("{{ sender.GetHashCode }}", "GetHashCode")]
    public void Reaching_for_dotnet_members_is_an_error_not_a_silent_blank(string body, string member)
    {
        var problem = LintOne(body);

        Assert.Equal(5, problem.Line);
        Assert.Contains($"'{member}' is not something a letter can read", problem.Message);
    }

    [Theory]
    [InlineData("{{ subscriber.GetType() }}", "'GetType' is not something a letter can read")]
    [InlineData("{{ object.eval '6*7' }}", "object.eval")]
    public void Calling_dotnet_methods_or_object_eval_fails_at_its_line(string body, string says)
    {
        var problem = LintOne(body);

        Assert.Equal(5, problem.Line);
        Assert.Contains(says, problem.Message);
    }

    [Theory]
    [InlineData("{{ import System }}")]
    [InlineData("Hi\n{{ import subscriber }}")]
    public void An_import_statement_is_refused(string body)
    {
        var problem = LintOne(body);

        Assert.Equal(4 + body.Count(c => c == '\n') + 1, problem.Line);
        Assert.Equal(4, problem.Column);
        Assert.Contains("'import' is not available", problem.Message);
    }

    [Fact]
    public void A_date_field_that_does_not_parse_is_an_error_not_year_one()
    {
        _templates.Letter("when", "Since {{ (date.parse subscriber.joined).Year }}");
        var library = _templates.Load();
        var renderer = new LetterRenderer(library, new RenderLimits());
        var context = new LetterContext("https://drip.example/u/t", new SenderIdentity("Shop", "news@example.com", "1 Main St"), new Dictionary<string, string>());
        Subscriber With(string? joined) => new()
        {
            Id = Guid.NewGuid(), Email = "a@example.com",
            Fields = joined is null ? new(StringComparer.OrdinalIgnoreCase) : new(StringComparer.OrdinalIgnoreCase) { ["joined"] = joined },
        };

        Assert.StartsWith("Since 2019", renderer.Render(library.FindLetter("when")!, With("2019-05-04"), context).Text);
        var error = Assert.Throws<RenderException>(() => renderer.Render(library.FindLetter("when")!, With("last tuesday"), context));
        Assert.Equal("templates/letters/when.md:5:11: date.parse: 'last tuesday' is not a date", error.Message);
    }

    [Fact]
    public void A_custom_field_one_subscriber_lacks_is_still_just_empty()
    {
        _templates.Letter("ok", "Hi {{ subscriber.company }}{{ subscriber.fields.nickname }}!");
        var library = _templates.Load();

        Assert.Empty(new LetterLinter(library, new LetterRenderer(library, new RenderLimits())).Lint());
    }

    [Fact]
    public async Task A_template_that_throws_for_one_subscriber_defers_only_that_letter_with_the_error_recorded()
    {
        // Two ways data breaks a letter for one reader only: a field that is huge for one person (the loop limit)
        // and a field that is not the date the template parses.
        _templates.Letter("news", "{{ greeting }}\n\n{{ for tag in (subscriber.tags | string.split ',') }}#{{ tag }} {{ end }}\n\n" +
                                  "Member since {{ (date.parse subscriber.joined).Year }}.", "News for {{ name_or 'you' }}");
        var library = _templates.Load();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        using var db = new DripDatabase(new MemoryStream());
        var pickup = Directory.CreateTempSubdirectory("drip-pickup-");
        try
        {
            var subscribers = new LiteSubscriberStore(db);
            var outbox = new LiteOutboxStore(db);
            var history = new LiteHistoryStore(db);
            Subscriber Person(string name, string tags, string joined) => new()
            {
                Id = Guid.NewGuid(), Email = $"{name.ToLowerInvariant()}@example.org", EmailKey = $"{name.ToLowerInvariant()}@example.org", FirstName = name,
                Fields = new(StringComparer.OrdinalIgnoreCase) { ["tags"] = tags, ["joined"] = joined },
            };
            var fine = Enumerable.Range(0, 4).Select(i => Person($"Reader{i}", "a,b", "2020-01-0" + (i + 1))).ToList();
            var hoarder = Person("Hoarder", string.Join(',', Enumerable.Range(0, 5000)), "2020-01-01");
            var typo = Person("Typo", "a", "last tuesday");
            subscribers.Save([.. fine, hoarder, typo]);
            var entries = subscribers.Stream(SubscriberFilter.Mailable).Select(s =>
                OutboxEntry.Create($"t:{s.Id:N}", s.Id, "news", "campaign:t", clock.GetUtcNow(), false, clock.GetUtcNow())).ToList();
            outbox.Enqueue(entries);

            var sender = new SenderOptions { Name = "Shop", Address = "news@example.com", PostalAddress = "12 Garden Street" };
            var publicOptions = new PublicOptions { BaseUrl = "https://drip.example" };
            var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k"] = new byte[32] }, "k");
            var links = new UnsubscribeLinks(signer, publicOptions, sender);
            var suppressions = new LiteSuppressionStore(db);
            var stats = new LiteLetterStatsStore(db, clock);
            var bounces = new BounceHandler(history, new Unsubscriber(subscribers, new GroupCommit(new LiteChangeWriter(db, clock)), clock), stats, new BounceOptions(), clock,
                NullLogger<BounceHandler>.Instance);
            using var dispatcher = new Dispatcher(outbox, subscribers, new OutcomeJournal(null, new GroupCommit(new LiteChangeWriter(db, clock)), outbox, clock), suppressions, bounces, stats,
                new LinkTracker(signer, publicOptions, new TrackingOptions()), library, new LetterRenderer(library, new RenderLimits()),
                new MessageBuilder(sender, links, new VerpAddress(signer, sender), clock, LetterSigner.Disabled), links,
                new PickupFolderTransport(pickup.FullName), sender, publicOptions, new DispatchOptions(), db.Changes, clock, NullLogger<Dispatcher>.Instance);

            var report = await dispatcher.DispatchDueAsync(CancellationToken.None);

            Assert.Equal((4, 2), (report.Sent, report.Deferred));
            Assert.Equal(4, pickup.GetFiles("*.eml").Length);
            foreach (var (person, says) in new[] { (hoarder, "iteration limit"), (typo, "date.parse: 'last tuesday' is not a date") })
            {
                var entry = outbox.ForSubscriber(person.Id).Single();
                Assert.Equal(OutboxState.Deferred, entry.State);
                Assert.StartsWith("render: templates/letters/news.md:", entry.LastError);
                Assert.Contains(says, entry.LastError);
                var deferred = Assert.Single(history.ForSubscriber(person.Id), h => h.Kind == HistoryKind.LetterDeferred);
                Assert.Contains(entry.LastError!, deferred.Detail);
            }
            Assert.All(fine, f => Assert.Equal(OutboxState.Sent, outbox.ForSubscriber(f.Id).Single().State));
        }
        finally
        {
            pickup.Delete(recursive: true);
        }
    }
}
