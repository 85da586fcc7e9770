using Drip.Events;
using Drip.History;
using Drip.Outbox;

namespace Drip.Subscribers;

/// <summary>
/// The right to erasure: deletes a person's record, timeline, sends and events, and keeps only the hash
/// of their address on the suppression list so no import or program ever writes to them again.
/// </summary>
public sealed class Eraser(ISubscriberStore subscribers, IHistoryStore history, IOutboxStore outbox, IEventStore events,
    ISuppressionStore suppressions, TimeProvider clock)
{
    /// <summary>Erases everything about <paramref name="email"/>; returns whether a subscriber record existed.</summary>
    public bool Forget(string email)
    {
        var address = EmailAddress.Normalise(email, out var error) ?? throw new ArgumentException(error, nameof(email));
        suppressions.Add(new Suppression { Id = Suppression.HashOf(address), Reason = SuppressionReason.Erased, At = clock.GetUtcNow(), Detail = "erasure request" });
        if (subscribers.FindByEmail(address) is not { } subscriber)
        {
            return false;
        }
        outbox.Remove(outbox.ForSubscriber(subscriber.Id).Select(e => e.Id).ToList());
        history.DeleteFor(subscriber.Id);
        events.DeleteFor(subscriber.Id);
        subscribers.Delete(subscriber.Id);
        return true;
    }
}
