using Drip.History;
using Drip.Subscribers;
using Microsoft.Extensions.Logging;

namespace Drip.Feedback;

/// <summary>
/// Applies the bounce and complaint policy, whether the news came at SMTP time or later in a report:
/// a hard bounce or a complaint takes the address off the list at once; soft bounces are counted and
/// suppress after <see cref="BounceOptions.SoftLimit"/> within <see cref="BounceOptions.SoftWindow"/>;
/// a policy refusal (5.7.x) is the sender's problem, so it is logged and nobody is suppressed.
/// </summary>
public sealed class BounceHandler(IHistoryStore history, Unsubscriber unsubscriber, ILetterStatsStore stats, BounceOptions options,
    TimeProvider clock, ILogger<BounceHandler> log)
{
    public void Hard(Subscriber subscriber, string detail, string? letterId)
    {
        Count(letterId, LetterMetric.Bounces);
        unsubscriber.Suppress(subscriber, SubscriberStatus.Bounced, SuppressionReason.HardBounce, detail,
            $"address refused permanently, no more letters: {detail}");
    }

    public void Soft(Subscriber subscriber, string detail, string? letterId)
    {
        var now = clock.GetUtcNow();
        Count(letterId, LetterMetric.Bounces);
        history.Append(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.SoftBounce, Detail = detail });
        var recent = history.ForSubscriber(subscriber.Id).Count(h => h.Kind == HistoryKind.SoftBounce && h.At > now - options.SoftWindow);
        if (recent >= options.SoftLimit && subscriber.IsMailable)
        {
            unsubscriber.Suppress(subscriber, SubscriberStatus.Bounced, SuppressionReason.SoftBounces,
                $"{recent} soft bounces within {options.SoftWindow.TotalDays:0} days; last: {detail}");
        }
    }

    public void Complaint(Subscriber subscriber, string detail, string? letterId)
    {
        Count(letterId, LetterMetric.Complaints);
        unsubscriber.Suppress(subscriber, SubscriberStatus.Complained, SuppressionReason.Complaint, detail,
            $"marked a letter{(letterId is null ? "" : $" ({letterId})")} as spam: {detail}");
    }

    public void Policy(Subscriber subscriber, string detail, string? letterId)
    {
        // 5.7.x: the receiver refused the sender (authentication, reputation, content), not the address.
        log.LogWarning("A receiver refused a letter to subscriber {Subscriber} on policy grounds ({Detail}); check SPF, DKIM and DMARC", subscriber.Id, detail);
        history.Append(new HistoryEntry
        {
            SubscriberId = subscriber.Id, At = clock.GetUtcNow(), Kind = HistoryKind.LetterBounced,
            Detail = $"refused on policy grounds (the sender's problem, address kept): {detail}",
        });
    }

    private void Count(string? letterId, LetterMetric metric)
    {
        if (letterId is not null)
        {
            stats.Add(letterId, metric);
        }
    }
}
