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
}
