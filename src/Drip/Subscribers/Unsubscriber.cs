using Drip.History;

namespace Drip.Subscribers;

/// <summary>Takes a subscriber off the list at once; the dispatcher checks status before every send.</summary>
public sealed class Unsubscriber(ISubscriberStore subscribers, IHistoryStore history, TimeProvider clock)
{
    /// <summary>Unsubscribes; idempotent. Returns false when no such subscriber exists.</summary>
    public bool Unsubscribe(Guid subscriberId, string how)
    {
        var subscriber = subscribers.Find(subscriberId);
        if (subscriber is null)
        {
            return false;
        }
        if (subscriber.Status == SubscriberStatus.Unsubscribed)
        {
            return true;
        }
        var now = clock.GetUtcNow();
        subscriber.Status = SubscriberStatus.Unsubscribed;
        subscriber.UnsubscribedAt = now;
        subscriber.UpdatedAt = now;
        subscribers.Save([subscriber]);
        history.Append(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.Unsubscribed, Detail = how });
        return true;
    }
}
