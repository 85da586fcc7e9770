namespace Drip.Subscribers;

/// <summary>Where a subscriber stands; only <see cref="Active"/> receives letters.</summary>
public enum SubscriberStatus
{
    Active,
    Unsubscribed,
    Bounced,
    Complained,

    /// <summary>Asked for a break: no letters until <see cref="Subscriber.PausedUntil"/>, then programs resume where they were.</summary>
    Paused,
}
