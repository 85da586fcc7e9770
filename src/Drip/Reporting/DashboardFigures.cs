using Drip.Cadence;
using Drip.Engagement;
using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.Reporting;

/// <summary>Active, passive and fans among mailable subscribers.</summary>
public sealed record BaseStructure(int Active, int Passive, int Fans);

/// <summary>The figures that read the whole list, as they stood at <paramref name="At"/>; <paramref name="Took"/> is what computing them cost.</summary>
public sealed record DashboardSnapshot(DateTimeOffset At, TimeSpan Took, IReadOnlyDictionary<SubscriberStatus, int> ByStatus,
    IReadOnlyDictionary<OutboxState, int> Sends, BaseStructure Structure, IReadOnlyList<PlanRow> NextWeek)
{
    public const int PlanDays = 7;

    public TimeSpan AgeAt(DateTimeOffset now) => now > At ? now - At : TimeSpan.Zero;
}

/// <summary>
/// The dashboard's and <c>GET /api/stats</c>'s figures over the whole list, shared so both say the same: subscribers
/// by status and sends by state (about a second at a million: the rarer statuses through their index, sends by state from its keys), the base's structure (every mailable
/// subscriber judged) and the next 7 days (the planner run for every one). At a million subscribers these take about
/// a minute, so a request never computes them while an earlier result exists: it gets the latest
/// snapshot, and one older than <see cref="DashboardOptions.RefreshEvery"/> is recomputed in the background
/// (the way hosted newsletter tools show cached list statistics). Only the very first request waits for one.
/// </summary>
public sealed class DashboardFigures(ISubscriberStore subscribers, IOutboxStore outbox, EngagementJudge judge, PlanView plan, DashboardOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DashboardSnapshot? _latest;
    private Task<DashboardSnapshot>? _refreshing;

    /// <summary>The latest snapshot, starting a background refresh when it is stale; computed here only if there is none yet.</summary>
    public DashboardSnapshot Current()
    {
        Task<DashboardSnapshot> first;
        lock (_gate)
        {
            if (_latest is { } latest)
            {
                if (latest.AgeAt(clock.GetUtcNow()) >= options.RefreshEvery && _refreshing is null)
                {
                    _refreshing = Task.Run(Refresh);
                }
                return latest;
            }
            first = _refreshing ??= Task.Run(Refresh);
        }
        return first.GetAwaiter().GetResult();
    }

    /// <summary>Computes a snapshot now and keeps it (the background refresh, and the bench's measure of what one costs).</summary>
    public DashboardSnapshot Refresh()
    {
        try
        {
            var started = clock.GetTimestamp();
            var at = clock.GetUtcNow();
            var snapshot = new DashboardSnapshot(at, TimeSpan.Zero, subscribers.CountByStatus(), outbox.CountByState(), Structure(at),
                plan.Summary(DashboardSnapshot.PlanDays));
            snapshot = snapshot with { Took = clock.GetElapsedTime(started) };
            lock (_gate)
            {
                _latest = snapshot;
            }
            return snapshot;
        }
        finally
        {
            lock (_gate)
            {
                _refreshing = null;
            }
        }
    }

    private BaseStructure Structure(DateTimeOffset now)
    {
        int active = 0, passive = 0, fans = 0;
        foreach (var s in subscribers.Stream(SubscriberFilter.Mailable))
        {
            switch (judge.LevelOf(s, now))
            {
                case EngagementLevel.Fan: fans++; break;
                case EngagementLevel.Active: active++; break;
                default: passive++; break;
            }
        }
        return new BaseStructure(active, passive, fans);
    }
}
