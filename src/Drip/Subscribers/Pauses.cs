using Drip.History;
using Drip.Outbox;

namespace Drip.Subscribers;

/// <summary>
/// "Pause for 30 days": the subscriber gets nothing until the pause ends, then every program picks up
/// at the letter they had not received yet. Program letters already planned are withdrawn (they are
/// planned again on resume); sequence and date letters that fall in the pause are skipped, being tied to their moment.
/// </summary>
public sealed class Pauses(ISubscriberStore subscribers, IOutboxStore outbox, IHistoryStore history, TimeProvider clock)
{
    public bool Pause(Guid subscriberId, DateTimeOffset until)
    {
        var subscriber = subscribers.Find(subscriberId);
        if (subscriber is null || subscriber.Status is not (SubscriberStatus.Active or SubscriberStatus.Paused))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        subscriber.Status = SubscriberStatus.Paused;
        subscriber.PausedUntil = until;
        subscriber.UpdatedAt = now;
        subscribers.Save([subscriber]);
        var withdrawn = outbox.Remove(outbox.ForSubscriber(subscriberId)
            .Where(e => e.Source.StartsWith("program:", StringComparison.Ordinal) && e.State is OutboxState.Due or OutboxState.Deferred)
            .Select(e => e.Id).ToList());
        history.Append(new HistoryEntry
        {
            SubscriberId = subscriberId, At = now, Kind = HistoryKind.Paused,
            Detail = $"paused until {until:u}; {withdrawn} program letter(s) to be planned again on return",
        });
        return true;
    }

    /// <summary>Ends every pause whose time has come; returns how many subscribers are back.</summary>
    public int ResumeDue()
    {
        var now = clock.GetUtcNow();
        var back = subscribers.Stream(new SubscriberFilter(SubscriberStatus.Paused, new Dictionary<string, string>()))
            .Where(s => s.PausedUntil is null || s.PausedUntil <= now)
            .ToList();
        return End(back, now, "pause ended");
    }

    /// <summary>Ends one pause before its time (the subscriber, or someone acting for them, asked); false if they were not paused.</summary>
    public bool Resume(Guid subscriberId, string how)
    {
        var subscriber = subscribers.Find(subscriberId);
        return subscriber is { Status: SubscriberStatus.Paused } && End([subscriber], clock.GetUtcNow(), $"pause ended early ({how})") == 1;
    }

    private int End(List<Subscriber> back, DateTimeOffset now, string detail)
    {
        foreach (var s in back)
        {
            s.Status = SubscriberStatus.Active;
            s.PausedUntil = null;
            s.UpdatedAt = now;
            history.Append(new HistoryEntry { SubscriberId = s.Id, At = now, Kind = HistoryKind.Resumed, Detail = detail });
        }
        if (back.Count > 0)
        {
            subscribers.Save(back);
        }
        return back.Count;
    }
}
