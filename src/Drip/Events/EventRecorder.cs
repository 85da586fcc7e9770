using Drip.History;
using Drip.Planning;
using Drip.Subscribers;

namespace Drip.Events;

/// <summary>Records that something happened to a subscriber (a sale) and plans the sequences it starts.</summary>
public sealed class EventRecorder(IEventStore events, ISubscriberStore subscribers, IHistoryStore history, SequencePlanner planner, TimeProvider clock)
{
    public EventRecording Record(string name, string email, DateTimeOffset? occurredAt = null, IReadOnlyDictionary<string, string>? data = null, Guid? id = null)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("an event needs a name of at most 100 characters", nameof(name));
        }
        var subscriber = subscribers.FindByEmail(email)
            ?? throw new KeyNotFoundException($"no subscriber with email '{email}'");
        var now = clock.GetUtcNow();
        var e = new TriggerEvent
        {
            Id = id ?? Guid.NewGuid(),
            Name = name.Trim().ToLowerInvariant(),
            SubscriberId = subscriber.Id,
            OccurredAt = occurredAt ?? now,
            RecordedAt = now,
            Data = data is null ? new(StringComparer.OrdinalIgnoreCase) : new(data, StringComparer.OrdinalIgnoreCase),
        };
        events.Add(e);
        history.Append(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.EventRecorded, Detail = e.Name });
        var planned = planner.PlanPending();
        return new EventRecording(e.Id, subscriber.Id, planned);
    }
}

/// <summary>The recorded event and how many sends its sequences added.</summary>
public sealed record EventRecording(Guid EventId, Guid SubscriberId, int SendsPlanned);
