using Drip.Subscribers;

namespace Drip.Engagement;

/// <summary>Where a subscriber stands by what they do with the letters.</summary>
public enum EngagementLevel
{
    /// <summary>No human open or click lately (or ever).</summary>
    Passive,

    /// <summary>Opened or clicked lately.</summary>
    Active,

    /// <summary>Active and clicks often: the people who read everything and tell others.</summary>
    Fan,
}

/// <summary>Derives <see cref="EngagementLevel"/> from a subscriber's engagement record.</summary>
public sealed class EngagementJudge(EngagementOptions options)
{
    public EngagementLevel LevelOf(Subscriber subscriber, DateTimeOffset now)
    {
        var e = subscriber.Engagement;
        if (e.LastEngagedAt is not { } last || now - last > options.ActiveWithin)
        {
            return EngagementLevel.Passive;
        }
        return e.Clicks >= options.FanClicks ? EngagementLevel.Fan : EngagementLevel.Active;
    }

    /// <summary>The same rule as <see cref="LevelOf"/>, as bounds a store can test without asking the judge per subscriber.</summary>
    public EngagementWindow Window(EngagementLevel level, DateTimeOffset now) => new(level, now - options.ActiveWithin, options.FanClicks);
}

/// <summary>
/// Who is at <paramref name="Level"/> at one moment: engaged means a human open or click at or after
/// <paramref name="ActiveSince"/>; a fan is engaged with at least <paramref name="FanClicks"/> clicks.
/// </summary>
public sealed record EngagementWindow(EngagementLevel Level, DateTimeOffset ActiveSince, int FanClicks);
