using Drip.Cadence;
using Drip.Engagement;
using Drip.Letters;
using Drip.Planning;
using Drip.Reporting;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Reporting;

/// <summary>The dashboard's snapshot: computed once, served while fresh, refreshed in the background when stale.</summary>
public sealed class DashboardFiguresTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(Monday);
    private readonly LiteSubscriberStore _subscribers;
    private readonly DashboardFigures _figures;

    public DashboardFiguresTests()
    {
        _subscribers = new LiteSubscriberStore(_db);
        var library = TemplateLibrary.Load(TemplateFolder.Shipped);
        var planning = new PlanningOptions();
        var plan = new PlanView(new CadencePlanner(library, new FrequencyCaps(), planning), new LiteOutboxStore(_db), _subscribers, library, planning, _clock);
        _figures = new DashboardFigures(_subscribers, new LiteOutboxStore(_db), new EngagementJudge(new EngagementOptions()), plan, new DashboardOptions { RefreshEvery = TimeSpan.FromMinutes(5) }, _clock);
    }

    [Fact]
    public void The_first_view_waits_for_the_figures_and_later_views_get_the_same_snapshot_until_it_is_stale()
    {
        Add("ada", engagedDaysAgo: 3);
        Add("alan", engagedDaysAgo: null);

        var first = _figures.Current();
        Add("grace", engagedDaysAgo: 1);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var fresh = _figures.Current();

        Assert.Equal(new BaseStructure(1, 1, 0), first.Structure);
        Assert.Equal(2, first.ByStatus[SubscriberStatus.Active]);
        Assert.Equal(Monday, first.At);
        Assert.NotEmpty(first.NextWeek); // the weekly program writes to both in the coming week
        Assert.Same(first, fresh);
        Assert.Equal(TimeSpan.FromMinutes(4), fresh.AgeAt(_clock.GetUtcNow()));
    }

    [Fact]
    public void A_stale_snapshot_is_served_while_a_new_one_is_computed_in_the_background()
    {
        Add("ada", engagedDaysAgo: 3);
        var first = _figures.Current();
        Add("grace", engagedDaysAgo: 1);
        _clock.Advance(TimeSpan.FromMinutes(6));

        var stale = _figures.Current();
        var refreshed = Eventually(() => _figures.Current() is { } s && s != first ? s : null);

        Assert.Same(first, stale);
        Assert.Equal(new BaseStructure(2, 0, 0), refreshed.Structure);
        Assert.Equal(Monday.AddMinutes(6), refreshed.At);
    }

    private static DashboardSnapshot Eventually(Func<DashboardSnapshot?> probe)
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } found)
            {
                return found;
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("the background refresh never finished");
    }

    private void Add(string name, int? engagedDaysAgo)
    {
        var email = $"{name}@example.com";
        _subscribers.Save([new Subscriber
        {
            Id = Guid.NewGuid(), Email = email, EmailKey = email, FirstName = name, TimeZone = "Europe/Berlin", CreatedAt = Monday.AddDays(-30), ConsentAt = Monday.AddDays(-30),
            Engagement = new EngagementRecord { LastOpenAt = engagedDaysAgo is { } d ? Monday.AddDays(-d) : null },
        }]);
    }

    public void Dispose() => _db.Dispose();
}
