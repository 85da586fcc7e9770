using Drip.Cadence;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Cadence;

public sealed class PauseAndEdgeTests : IDisposable
{
    private readonly TemplateFolder _templates = new();
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero)); // a Monday

    public PauseAndEdgeTests()
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
    }

    private TemplateLibrary Library()
    {
        var library = _templates.Load();
        Assert.Empty(library.Problems);
        return library;
    }

    private static Subscriber Person(string zone, DateTimeOffset joined, Dictionary<string, string>? fields = null) => new()
    {
        Id = Guid.NewGuid(), Email = $"{Guid.NewGuid():N}@example.org", EmailKey = $"{Guid.NewGuid():N}", TimeZone = zone,
        CreatedAt = joined, ConsentAt = joined, Fields = fields ?? new(StringComparer.OrdinalIgnoreCase),
    };

    [Fact]
    public void A_paused_subscriber_gets_nothing_then_resumes_at_the_letter_they_had_not_received()
    {
        var subscribers = new LiteSubscriberStore(_db);
        var outbox = new LiteOutboxStore(_db);
        var pauses = new Pauses(subscribers, outbox, new LiteHistoryStore(_db), _clock);
        var pass = new PlanningPass(subscribers, outbox, new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions()), pauses, new FrequencyCaps(), _clock);
        var ada = Person("UTC", _clock.GetUtcNow());
        subscribers.Save([ada]);

        void Week()
        {
            for (var h = 0; h < 7 * 24; h++)
            {
                pass.Run();
                foreach (var e in outbox.ClaimDue(_clock.GetUtcNow(), 100, _clock.GetUtcNow().AddMinutes(5)))
                {
                    e.SentAt = e.DueAt;
                    e.Close(subscribers.Find(e.SubscriberId)!.IsMailable ? OutboxState.Sent : OutboxState.Skipped);
                    outbox.Update(e);
                }
                _clock.Advance(TimeSpan.FromHours(1));
            }
        }

        Week();
        Assert.Equal(["news-1", "useful-1"], outbox.Sent().OrderBy(e => e.SentAt).Select(e => e.LetterId));
        Assert.True(pauses.Pause(ada.Id, _clock.GetUtcNow().AddDays(14)));
        Assert.DoesNotContain(outbox.ForSubscriber(ada.Id), e => e.State == OutboxState.Due);

        Week();
        Week();
        Assert.Equal(2, outbox.Sent().Count());

        Week();
        Assert.Equal(SubscriberStatus.Active, subscribers.Find(ada.Id)!.Status);
        Assert.Equal(["news-1", "useful-1", "personal-1", "offer-1"], outbox.Sent().OrderBy(e => e.SentAt).Select(e => e.LetterId));
    }

    [Fact]
    public void When_the_pool_runs_out_the_program_is_over_and_nothing_repeats()
    {
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var ada = Person("UTC", _clock.GetUtcNow());
        var entries = new List<OutboxEntry>();
        for (var now = _clock.GetUtcNow(); now < _clock.GetUtcNow().AddDays(7 * 12); now = now.AddDays(1))
        {
            entries.AddRange(planner.Plan(ada, entries, now));
        }
        Assert.Equal(12, entries.Count);
        Assert.Equal(12, entries.Select(e => e.LetterId).Distinct().Count());
    }

    [Theory]
    [InlineData("Europe/Berlin", 2026, 3, 23)]    // clocks go forward on Sunday 29 March
    [InlineData("Europe/Berlin", 2026, 10, 19)]   // and back on Sunday 25 October
    [InlineData("America/New_York", 2026, 3, 2)]  // forward on Sunday 8 March
    [InlineData("America/New_York", 2026, 10, 26)] // back on Sunday 1 November
    public void Across_a_daylight_saving_weekend_letters_stay_in_the_local_window(string zone, int year, int month, int day)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var start = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
        var entries = new List<OutboxEntry>();
        for (var now = start; now < start.AddDays(21); now = now.AddHours(6))
        {
            entries.AddRange(planner.Plan(Person(zone, start), entries, now));
        }
        Assert.True(entries.Count >= 5);
        Assert.All(entries, e =>
        {
            var local = TimeZoneInfo.ConvertTime(e.DueAt, tz);
            Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(12));
            Assert.Contains(local.DayOfWeek, new[] { DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday });
        });
    }

    [Fact]
    public void A_letter_n_days_before_a_date_goes_out_then_for_the_segment_only()
    {
        _templates.Letter("bookings-open", "New Year bookings are open", kind: "news");
        _templates.Add("dates/bookings.yml", "name: New Year bookings\nletter: bookings-open\non: field:last_trip_date\nbefore: 90d\nto: travelled=winter\n");
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var now = new DateTimeOffset(2026, 9, 20, 0, 0, 0, TimeSpan.Zero);
        var traveller = Person("Europe/Moscow", now.AddYears(-2), new(StringComparer.OrdinalIgnoreCase) { ["last_trip_date"] = "2025-12-28", ["travelled"] = "winter" });
        var homebody = Person("Europe/Moscow", now.AddYears(-2), new(StringComparer.OrdinalIgnoreCase) { ["last_trip_date"] = "2025-12-28" });

        var letter = planner.Plan(traveller, [], now).Single(e => e.Source == "date:bookings");
        Assert.Equal(new DateOnly(2026, 9, 29), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(letter.DueAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime));
        Assert.DoesNotContain(planner.Plan(homebody, [], now), e => e.Source == "date:bookings");
    }

    [Fact]
    public void Plan_view_counts_letters_per_local_day_and_explains_one_persons_letters()
    {
        var subscribers = new LiteSubscriberStore(_db);
        var outbox = new LiteOutboxStore(_db);
        var library = Library();
        var planning = new PlanningOptions();
        var view = new PlanView(new CadencePlanner(library, new FrequencyCaps(), planning), outbox, subscribers, library, planning, _clock);
        var tokyo = Person("Asia/Tokyo", _clock.GetUtcNow());
        tokyo.Email = tokyo.EmailKey = "kenji@example.org";
        subscribers.Save([tokyo, Person("America/New_York", _clock.GetUtcNow())]);

        var rows = view.Summary(14);
        var mine = view.For("kenji@example.org", 14);

        Assert.Equal(8, rows.Sum(r => r.Subscribers)); // 2 people × 2 letters a week × 2 weeks
        Assert.All(rows, r => Assert.Contains(r.Day.DayOfWeek, new[] { DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday }));
        Assert.Equal(["news-1", "useful-1", "personal-1", "offer-1"], mine.Select(l => l.LetterId));
        Assert.All(mine, l => Assert.Equal(TimeSpan.FromHours(9), l.LocalTime.Offset));
        Assert.Contains("offer after 3 letters that give value (3:1)", mine[3].Why);
        Assert.Contains("(Asia/Tokyo)", mine[0].Why);
        Assert.Throws<KeyNotFoundException>(() => view.For("nobody@example.org", 14));
        Assert.Empty(outbox.ForSubscriber(tokyo.Id)); // looking at the plan writes nothing
    }

    public void Dispose()
    {
        _db.Dispose();
        _templates.Dispose();
    }
}
