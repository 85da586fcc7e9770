namespace Drip.Subscribers;

/// <summary>Where a subscriber stands; only <see cref="Active"/> receives letters.</summary>
public enum SubscriberStatus
{
    Active,
    Unsubscribed,
    Bounced,
    Complained,
}
