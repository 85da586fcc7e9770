using Drip.Changes;
using Drip.Feedback;
using Drip.History;

namespace Drip.Subscribers;

/// <summary>
/// Takes people off the list and puts them back: unsubscribes (link, one-click, reply, mailto), bounces,
/// complaints and purges all end here, so each one sets the status, adds the address to the suppression
/// list and writes the timeline the same way, in one write. The dispatcher checks both before every send,
/// so a change takes effect before the next letter.
/// </summary>
public sealed class Unsubscriber(ISubscriberStore subscribers, GroupCommit commits, TimeProvider clock)
{
    /// <summary>Unsubscribes; idempotent. Returns false when no such subscriber exists.</summary>
    public bool Unsubscribe(Guid subscriberId, string how, string? reason = null)
    {
        var subscriber = subscribers.Find(subscriberId);
        if (subscriber is null)
        {
            return false;
        }
        if (subscriber.Status != SubscriberStatus.Unsubscribed)
        {
            commits.Write(Leaving(subscriber, how, reason, null));
        }
        return true;
    }

    /// <summary>
    /// Unsubscribes <paramref name="subscriber"/> (as just read) from a request that names the letter it came from,
    /// which is then counted as that letter's unsubscribe. Idempotent: someone already unsubscribed is left as they
    /// are and counted once. Returns once the change is stored; many requests at once share one write.
    /// </summary>
    public async Task UnsubscribeAsync(Subscriber subscriber, string how, string? reason, string? letterId)
    {
        if (subscriber.Status != SubscriberStatus.Unsubscribed)
        {
            await commits.WriteAsync(Leaving(subscriber, how, reason, letterId));
        }
    }

    private ChangeSet Leaving(Subscriber subscriber, string how, string? reason, string? letterId)
    {
        var detail = string.IsNullOrWhiteSpace(reason) ? how : $"{how}; reason: {reason.Trim()}";
        var changes = Suppressing(subscriber, SubscriberStatus.Unsubscribed, SuppressionReason.Unsubscribed, how, detail);
        if (letterId is { Length: > 0 })
        {
            changes.Counts.Add(new LetterCount(letterId, LetterMetric.Unsubscribes));
        }
        return changes;
    }

    /// <summary>
    /// Takes a subscriber off every program for a bounce, a complaint or a purge; the address stays
    /// suppressed even if the record goes. Idempotent for the same status.
    /// </summary>
    public void Suppress(Subscriber subscriber, SubscriberStatus status, SuppressionReason reason, string detail, string? timeline = null) =>
        commits.Write(Suppressing(subscriber, status, reason, detail, timeline));

    // Sets the status on the record (unless it already has it) and returns what is to be written with it.
    private ChangeSet Suppressing(Subscriber subscriber, SubscriberStatus status, SuppressionReason reason, string detail, string? timeline = null)
    {
        var now = clock.GetUtcNow();
        var changes = new ChangeSet();
        if (subscriber.Status != status)
        {
            subscriber.Status = status;
            subscriber.PausedUntil = null;
            if (status == SubscriberStatus.Unsubscribed)
            {
                subscriber.UnsubscribedAt = now;
            }
            subscriber.UpdatedAt = now;
            changes.Subscribers.Add(subscriber);
            changes.Lines.Add(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = KindOf(status), Detail = timeline ?? detail });
        }
        changes.Suppressions.Add(new Suppression { Id = Suppression.HashOf(subscriber.Email), Reason = reason, At = now, Detail = detail });
        return changes;
    }

    /// <summary>
    /// Puts someone who unsubscribed back on the list at their own request (the button on the page they
    /// reached with their signed link). Bounced, complaining or purged people come back only through a new
    /// confirmed opt-in. Returns false when that is not possible.
    /// </summary>
    public bool Resubscribe(Guid subscriberId, string how)
    {
        var subscriber = subscribers.Find(subscriberId);
        if (subscriber is null || subscriber.Status is not (SubscriberStatus.Unsubscribed or SubscriberStatus.Active))
        {
            return false;
        }
        if (subscriber.Status == SubscriberStatus.Unsubscribed)
        {
            var now = clock.GetUtcNow();
            subscriber.Status = SubscriberStatus.Active;
            subscriber.UnsubscribedAt = null;
            subscriber.UpdatedAt = now;
            // Coming back is the clearest answer to "do you still want these?": it counts as engagement,
            // so a re-engagement letter sent before does not purge them later.
            subscriber.Engagement.LastClickAt = now;
            subscriber.Engagement.ReengagementSentAt = null;
            var changes = new ChangeSet();
            changes.Subscribers.Add(subscriber);
            changes.Lifted.Add(Suppression.HashOf(subscriber.Email));
            changes.Lines.Add(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.Resubscribed, Detail = how });
            commits.Write(changes);
        }
        return true;
    }

    private static HistoryKind KindOf(SubscriberStatus status) => status switch
    {
        SubscriberStatus.Unsubscribed => HistoryKind.Unsubscribed,
        SubscriberStatus.Bounced => HistoryKind.Bounced,
        SubscriberStatus.Complained => HistoryKind.Complained,
        SubscriberStatus.Purged => HistoryKind.Purged,
        _ => HistoryKind.Unsubscribed,
    };
}
