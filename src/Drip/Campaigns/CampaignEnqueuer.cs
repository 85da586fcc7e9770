using System.Globalization;
using Drip.Letters;
using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.Campaigns;

/// <summary>
/// A one-off campaign: one letter to everyone matching a filter, now or at a given time, through the
/// same outbox as everything else. The campaign id (by default the letter and the day) is part of each
/// send's key, so running the same command twice sends once.
/// </summary>
public sealed class CampaignEnqueuer(ISubscriberStore subscribers, IOutboxStore outbox, TemplateLibrary library, TimeProvider clock)
{
    private const int BatchSize = 1000;

    public CampaignResult Enqueue(string letterId, SubscriberFilter filter, DateTimeOffset? at = null, string? campaignId = null)
    {
        var letter = library.FindLetter(letterId)
            ?? throw new KeyNotFoundException($"no letter '{letterId}' in templates/letters/ (have: {string.Join(", ", library.Letters.Select(l => l.Id).Order())})");
        var now = clock.GetUtcNow();
        var due = at ?? now;
        var id = campaignId ?? $"{letter.Id}-{due.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";
        var matched = 0;
        var added = 0;
        var batch = new List<OutboxEntry>(BatchSize);
        foreach (var subscriber in subscribers.Stream(filter))
        {
            matched++;
            batch.Add(OutboxEntry.Create(IdempotencyKey.ForCampaign(id, subscriber.Id), subscriber.Id, letter.Id, $"campaign:{id}", due, urgent: false, now));
            if (batch.Count == BatchSize)
            {
                added += outbox.Enqueue(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            added += outbox.Enqueue(batch);
        }
        return new CampaignResult(id, letter.Id, due, matched, added);
    }
}

/// <summary>How many subscribers matched and how many sends were new (the rest were already queued).</summary>
public sealed record CampaignResult(string CampaignId, string LetterId, DateTimeOffset DueAt, int Matched, int Enqueued);
