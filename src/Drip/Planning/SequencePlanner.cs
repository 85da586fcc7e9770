using Drip.Cadence;
using Drip.Events;
using Drip.Letters;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Logging;

namespace Drip.Planning;

/// <summary>
/// Turns recorded events into sends: for each event not yet planned, every sequence it triggers
/// writes one outbox entry per step, keyed by (sequence, step, subscriber, event), so planning again
/// after a crash adds nothing twice. Steps delayed by whole days land in the sequence's local window
/// in the subscriber's time zone, spread across it; immediate and hour-delayed steps keep the exact time.
/// Steps that are not urgent obey the frequency caps over everything the subscriber gets and move to the
/// next allowed slot when they collide; urgent steps (the same-day thank-you) go at once but count.
/// </summary>
public sealed class SequencePlanner(
    IEventStore events, IOutboxStore outbox, ISubscriberStore subscribers, TemplateLibrary library,
    CadencePlanner cadence, TimeProvider clock, ILogger<SequencePlanner> log)
{
    /// <summary>A step whose time passed longer ago than this when its event is planned is left out.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromDays(1);

    private static readonly HashSet<DayOfWeek> AllDays = [.. Enum.GetValues<DayOfWeek>()];
    private readonly Lock _gate = new();

    /// <summary>Plans every unplanned event; returns how many sends were added.</summary>
    public int PlanPending()
    {
        lock (_gate)
        {
            var added = 0;
            while (events.Unplanned(200) is { Count: > 0 } batch)
            {
                foreach (var e in batch)
                {
                    added += Plan(e);
                    events.MarkPlanned(e.Id);
                }
            }
            return added;
        }
    }

    private int Plan(TriggerEvent e)
    {
        var subscriber = subscribers.Find(e.SubscriberId);
        if (subscriber is null)
        {
            log.LogWarning("Event {Event} names subscriber {Subscriber} who no longer exists", e.Id, e.SubscriberId);
            return 0;
        }
        var now = clock.GetUtcNow();
        var entries = new List<OutboxEntry>();
        var calendar = cadence.CalendarFor(subscriber, outbox.ForSubscriber(subscriber.Id));
        foreach (var sequence in library.SequencesFor(e.Name))
        {
            foreach (var step in sequence.Steps)
            {
                var key = IdempotencyKey.ForSequenceStep(sequence.Id, step.Index, subscriber.Id, e.Id);
                var due = DueAt(sequence, step, e.OccurredAt, calendar.Zone, key);
                if (due < now - StaleAfter)
                {
                    // An event recorded long after it happened: a "how did we do?" three weeks late helps no one.
                    log.LogInformation("Step {Step} of {Sequence} for event {Event} was due {Due:u}; not sent late", step.Index + 1, sequence.Id, e.Id, due);
                    continue;
                }
                due = due < now ? now : due;
                var why = $"{sequence.Name}, step {step.Index + 1}: {step.Delay} after '{e.Name}'";
                if (step.Urgent)
                {
                    why += "; urgent: not held back by caps";
                }
                else if (calendar.WhyNot(due) is { } rule)
                {
                    var window = step.Delay.IsInDays
                        ? new SendingWindow(AllDays, sequence.WindowStart, sequence.WindowEnd)
                        : new SendingWindow(AllDays, TimeOnly.MinValue, TimeOnly.MaxValue);
                    var slot = SlotFinder.Find(calendar, window, due, key, "sequence");
                    why += $"; moved from {TimeZoneInfo.ConvertTime(due, calendar.Zone):ddd d MMM HH:mm} ({rule}) to the {slot.Why}";
                    due = slot.At;
                }
                calendar.Add(due);
                var entry = OutboxEntry.Create(key, subscriber.Id, step.LetterId, $"sequence:{sequence.Id}", due, step.Urgent, now);
                entry.Reason = why;
                entry.Window = step.Delay.IsInDays ? $"{sequence.WindowStart:HH\\:mm}-{sequence.WindowEnd:HH\\:mm}" : null;
                entries.Add(entry);
            }
        }
        return entries.Count == 0 ? 0 : outbox.Enqueue(entries);
    }

    /// <summary>When a step goes out for an event that happened at <paramref name="occurredAt"/>.</summary>
    public static DateTimeOffset DueAt(Sequence sequence, SequenceStep step, DateTimeOffset occurredAt, TimeZoneInfo zone, string key)
    {
        var delay = step.Delay.Pick(Spread.Of(key + "/day"));
        if (!step.Delay.IsInDays)
        {
            return occurredAt + delay;
        }
        var day = LocalTime.DateIn(occurredAt, zone).AddDays((int)delay.TotalDays);
        var window = sequence.WindowEnd - sequence.WindowStart;
        var at = sequence.WindowStart.Add(window * Spread.Of(key + "/time"));
        return LocalTime.ToInstant(day.ToDateTime(at), zone);
    }
}
