using Drip.Cadence;
using Drip.Campaigns;
using Drip.Events;
using Drip.Letters;
using Drip.Planning;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Planning;

public sealed class EventPlanningTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero));
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _subscribers;
    private readonly LiteOutboxStore _outbox;
    private readonly LiteEventStore _events;
    private readonly TemplateLibrary _library = TemplateLibrary.Load(TemplateFolder.Shipped);
    private readonly EventRecorder _recorder;

    public EventPlanningTests()
    {
        _subscribers = new LiteSubscriberStore(_db);
        _outbox = new LiteOutboxStore(_db);
        _events = new LiteEventStore(_db);
        var planner = new SequencePlanner(_events, _outbox, _subscribers, _library, new CadencePlanner(_library, new FrequencyCaps(), new PlanningOptions()), _clock, NullLogger<SequencePlanner>.Instance);
        _recorder = new EventRecorder(_events, _subscribers, new LiteHistoryStore(_db), planner, _clock);
        _subscribers.Save([
            new Subscriber { Id = Guid.NewGuid(), Email = "ada@example.org", EmailKey = "ada@example.org", FirstName = "Ada", TimeZone = "Asia/Tokyo" },
            new Subscriber { Id = Guid.NewGuid(), Email = "bob@example.org", EmailKey = "bob@example.org", FirstName = "Bob", Fields = new() { ["city"] = "Kazan" } },
            new Subscriber { Id = Guid.NewGuid(), Email = "left@example.org", EmailKey = "left@example.org", Status = SubscriberStatus.Unsubscribed },
        ]);
    }

    [Fact]
    public void A_sale_plans_the_three_post_sale_letters_with_the_thank_you_due_at_once()
    {
        var recorded = _recorder.Record("Sale", "ADA@example.org");

        Assert.Equal(3, recorded.SendsPlanned);
        var sends = _outbox.ForSubscriber(recorded.SubscriberId);
        Assert.Equal(["thank-you", "how-did-we-do", "letter-from-the-boss"], sends.Select(s => s.LetterId));
        var thanks = sends[0];
        Assert.True(thanks.Urgent);
        Assert.Equal(_clock.GetUtcNow(), thanks.DueAt);
        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var survey = TimeZoneInfo.ConvertTime(sends[1].DueAt, tokyo);
        Assert.Equal(new DateOnly(2026, 12, 2), DateOnly.FromDateTime(survey.DateTime)); // the sale was 25 Nov 00:00 in Tokyo
        Assert.Empty(_events.Unplanned(10));
    }

    [Fact]
    public void Two_sales_plan_two_thank_yous_but_planning_again_adds_nothing()
    {
        _recorder.Record("sale", "ada@example.org");
        _recorder.Record("sale", "ada@example.org", _clock.GetUtcNow().AddDays(-1));
        var ada = _subscribers.FindByEmail("ada@example.org")!;

        Assert.Equal(6, _outbox.ForSubscriber(ada.Id).Count);
        var planner = new SequencePlanner(_events, _outbox, _subscribers, _library, new CadencePlanner(_library, new FrequencyCaps(), new PlanningOptions()), _clock, NullLogger<SequencePlanner>.Instance);
        Assert.Equal(0, planner.PlanPending());
        Assert.Equal(6, _outbox.ForSubscriber(ada.Id).Count);
    }

    [Fact]
    public void Events_no_sequence_listens_to_plan_nothing_and_unknown_people_are_refused()
    {
        Assert.Equal(0, _recorder.Record("birthday-party", "bob@example.org").SendsPlanned);
        Assert.Throws<KeyNotFoundException>(() => _recorder.Record("sale", "nobody@example.org"));
    }

    [Fact]
    public void A_campaign_reaches_the_matching_active_subscribers_once_however_often_it_is_started()
    {
        var campaigns = new CampaignEnqueuer(_subscribers, _outbox, _library, _clock);

        var all = campaigns.Enqueue("spring-news", SubscriberFilter.Parse("all"));
        var again = campaigns.Enqueue("spring-news", SubscriberFilter.Parse("all"));
        var kazan = campaigns.Enqueue("spring-news", SubscriberFilter.Parse("city=kazan"), campaignId: "kazan-only");

        Assert.Equal((2, 2), (all.Matched, all.Enqueued));
        Assert.Equal((2, 0), (again.Matched, again.Enqueued));
        Assert.Equal(("kazan-only", 1, 1), (kazan.CampaignId, kazan.Matched, kazan.Enqueued));
        Assert.Throws<KeyNotFoundException>(() => campaigns.Enqueue("no-such-letter", SubscriberFilter.Mailable));
    }

    [Theory]
    [InlineData("all", SubscriberStatus.Active, 0)]
    [InlineData("status=any,company=Acme", null, 1)]
    [InlineData("city=Kazan, plan = gold", SubscriberStatus.Active, 2)]
    public void Filters_parse(string text, SubscriberStatus? status, int fields)
    {
        var filter = SubscriberFilter.Parse(text);
        Assert.Equal(status, filter.Status);
        Assert.Equal(fields, filter.Fields.Count);
    }

    [Theory]
    [InlineData("city")]
    [InlineData("status=sleeping")]
    public void Bad_filters_are_explained(string text) => Assert.Throws<FormatException>(() => SubscriberFilter.Parse(text));

    public void Dispose() => _db.Dispose();
}
