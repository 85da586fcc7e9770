using Drip.Cadence;
using Drip.Outbox;
using Drip.Planning;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Cadence;

/// <summary>"Fewer letters" and leaving one program, as chosen on the preference page, are what the planner then does.</summary>
public sealed class PreferenceTests : IDisposable
{
    private readonly TemplateFolder _templates = new();
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)); // a Monday
    private readonly LiteSubscriberStore _subscribers;
    private readonly LiteOutboxStore _outbox;
    private readonly Preferences _preferences;
    private readonly PlanningPass _pass;

    public PreferenceTests()
    {
        foreach (var kind in new[] { "news", "useful", "personal", "offer" })
        {
            for (var i = 1; i <= 3; i++)
            {
                _templates.Letter($"{kind}-{i}", "{{ greeting }}", kind: kind);
            }
        }
        var pool = string.Join("\n", new[] { "news", "useful", "personal", "offer" }.SelectMany(k => Enumerable.Range(1, 3).Select(i => $"  - {k}-{i}")));
        _templates.Add("programs/weekly.yml", $"name: Weekly\nletters_per_week: 2\npool:\n{pool}\n");
        _templates.Add("programs/tips.yml", $"name: Tips\nletters_per_week: 1\npool:\n{pool}\n");
        var library = _templates.Load();
        Assert.Empty(library.Problems);
        _subscribers = new LiteSubscriberStore(_db);
        _outbox = new LiteOutboxStore(_db);
        var history = new LiteHistoryStore(_db);
        _preferences = new Preferences(_subscribers, _outbox, history, _clock);
        _pass = new PlanningPass(_subscribers, _outbox, new CadencePlanner(library, new FrequencyCaps(), new PlanningOptions()),
            new Pauses(_subscribers, _outbox, history, _clock), new FrequencyCaps(), _clock);
    }

    private Subscriber Person()
    {
        var s = new Subscriber { Id = Guid.NewGuid(), Email = $"{Guid.NewGuid():N}@example.org", EmailKey = $"{Guid.NewGuid():N}", TimeZone = "UTC", CreatedAt = _clock.GetUtcNow(), ConsentAt = _clock.GetUtcNow() };
        _subscribers.Save([s]);
        return s;
    }

    private void Weeks(int weeks)
    {
        for (var h = 0; h < weeks * 7 * 24; h++)
        {
            _pass.Run();
            foreach (var e in _outbox.ClaimDue(_clock.GetUtcNow(), 100, _clock.GetUtcNow().AddMinutes(5)))
            {
                e.SentAt = e.DueAt;
                e.Close(OutboxState.Sent);
                _outbox.Update(e);
            }
            _clock.Advance(TimeSpan.FromHours(1));
        }
    }

    private static int Monday(DateTimeOffset at) => (int)(at.Date - new DateTime(2026, 11, 23)).TotalDays / 7;

    [Fact]
    public void Fewer_letters_means_at_most_one_a_week_across_programs_and_the_usual_cadence_otherwise()
    {
        var usual = Person();
        var fewer = Person();
        Weeks(1); // both get their letters planned first, so choosing fewer must withdraw some
        Assert.True(_preferences.SetFewerLetters(fewer.Id, true));

        Weeks(3);

        var sent = _outbox.Sent().ToList();
        var fewerWeeks = sent.Where(e => e.SubscriberId == fewer.Id && e.SentAt > _clock.GetUtcNow().AddDays(-21)).GroupBy(e => Monday(e.SentAt!.Value)).ToList();
        Assert.NotEmpty(fewerWeeks);
        Assert.All(fewerWeeks, w => Assert.Single(w));
        var usualWeeks = sent.Where(e => e.SubscriberId == usual.Id && e.SentAt > _clock.GetUtcNow().AddDays(-21)).GroupBy(e => Monday(e.SentAt!.Value));
        Assert.All(usualWeeks, w => Assert.Equal(3, w.Count())); // two Weekly and one Tips, under the cap of three
    }

    [Fact]
    public void Leaving_one_program_withdraws_its_planned_letters_and_keeps_the_other_coming()
    {
        var ada = Person();
        Weeks(1);
        Assert.Contains(_outbox.Sent(), e => e.SubscriberId == ada.Id && e.Source == "program:tips");

        Assert.True(_preferences.SetProgram(ada.Id, "tips", receive: false));
        var left = _clock.GetUtcNow();
        Assert.DoesNotContain(_outbox.ForSubscriber(ada.Id), e => e.Source == "program:tips" && e.IsOpen);
        Weeks(3);

        var after = _outbox.Sent().Where(e => e.SubscriberId == ada.Id && e.SentAt > left).ToList();
        Assert.DoesNotContain(after, e => e.Source == "program:tips");
        Assert.Contains(after, e => e.Source == "program:weekly");

        Assert.True(_preferences.SetProgram(ada.Id, "tips", receive: true));
        var back = _clock.GetUtcNow();
        Weeks(1);
        Assert.Contains(_outbox.Sent(), e => e.SubscriberId == ada.Id && e.Source == "program:tips" && e.SentAt > back);
    }

    public void Dispose()
    {
        _db.Dispose();
        _templates.Dispose();
    }
}
