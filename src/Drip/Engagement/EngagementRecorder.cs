using Drip.Feedback;
using Drip.History;
using Drip.Subscribers;

namespace Drip.Engagement;

/// <summary>
/// Records opens and clicks on the subscriber (last open, last click, counts), in their timeline and in the
/// letter's counts. A human open or click also answers a re-engagement letter: the subscriber stays.
/// </summary>
public sealed class EngagementRecorder(ISubscriberStore subscribers, IHistoryStore history, ILetterStatsStore stats, TimeProvider clock)
{
    public void Opened(Guid subscriberId, string letterId, bool machine)
    {
        stats.Add(letterId, machine ? LetterMetric.MachineOpens : LetterMetric.Opens);
        Update(subscriberId, e =>
        {
            if (machine)
            {
                e.MachineOpens++;
                return false;
            }
            e.Opens++;
            e.LastOpenAt = clock.GetUtcNow();
            return true;
        }, HistoryKind.Opened, machine ? $"{letterId} (machine open)" : letterId);
    }

    public void Clicked(Guid subscriberId, string letterId, string url, bool machine)
    {
        if (!machine)
        {
            stats.Add(letterId, LetterMetric.Clicks);
        }
        Update(subscriberId, e =>
        {
            if (machine)
            {
                return false;
            }
            e.Clicks++;
            e.LastClickAt = clock.GetUtcNow();
            return true;
        }, HistoryKind.Clicked, $"{letterId}: {url}{(machine ? " (machine click)" : "")}");
    }

    /// <summary>"Yes, keep sending" from a re-engagement letter: counts as a click.</summary>
    public bool Stay(Guid subscriberId)
    {
        if (subscribers.Find(subscriberId) is not { } subscriber)
        {
            return false;
        }
        Update(subscriberId, e =>
        {
            e.LastClickAt = clock.GetUtcNow();
            return true;
        }, HistoryKind.Clicked, "asked to stay on the list");
        return subscriber.Status is SubscriberStatus.Active or SubscriberStatus.Paused;
    }

    private void Update(Guid subscriberId, Func<EngagementRecord, bool> change, HistoryKind kind, string detail)
    {
        if (subscribers.Find(subscriberId) is not { } subscriber)
        {
            return;
        }
        if (change(subscriber.Engagement))
        {
            subscriber.Engagement.ReengagementSentAt = null;
        }
        subscribers.Save([subscriber]);
        history.Append(new HistoryEntry { SubscriberId = subscriberId, At = clock.GetUtcNow(), Kind = kind, Detail = detail });
    }
}
