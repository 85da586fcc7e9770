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

    /// <summary>Signed up through the public form and has not yet clicked the confirmation link (double opt-in).</summary>
    Pending,

    /// <summary>Removed by a list-cleaning purge after a re-engagement letter went unanswered; the record stays.</summary>
    Purged,
}
