using Drip.History;
using Drip.Outbox;

namespace Drip.Subscribers;

/// <summary>
/// The choices on the preference page short of leaving: fewer letters, and leaving single programs.
/// Program letters already planned are withdrawn so the next planning pass places them by the new
/// choice; sequence and date letters are not programs and stay.
/// </summary>
public sealed class Preferences(ISubscriberStore subscribers, IOutboxStore outbox, IHistoryStore history, TimeProvider clock)
{
    public bool SetFewerLetters(Guid subscriberId, bool fewer) =>
        Change(subscriberId, s => s.FewerLetters != fewer, s => s.FewerLetters = fewer, _ => true,
            fewer ? "chose fewer letters" : "chose the usual number of letters");

    /// <summary>Leaves one program (or returns to it); the others keep coming.</summary>
    public bool SetProgram(Guid subscriberId, string programId, bool receive) =>
        Change(subscriberId,
            s => s.OptedOutPrograms.Contains(programId) == receive,
            s =>
            {
                if (receive)
                {
                    s.OptedOutPrograms.Remove(programId);
                }
                else
                {
                    s.OptedOutPrograms.Add(programId);
                }
            },
            source => source == $"program:{programId}",
            receive ? $"back in program '{programId}'" : $"left program '{programId}'");

    private bool Change(Guid subscriberId, Func<Subscriber, bool> differs, Action<Subscriber> apply, Func<string, bool> withdraw, string detail)
    {
        var subscriber = subscribers.Find(subscriberId);
        if (subscriber is null)
        {
            return false;
        }
        if (!differs(subscriber))
        {
            return true;
        }
        var now = clock.GetUtcNow();
        apply(subscriber);
        subscriber.UpdatedAt = now;
        subscribers.Save([subscriber]);
        outbox.Remove(outbox.ForSubscriber(subscriberId)
            .Where(e => e.Source.StartsWith("program:", StringComparison.Ordinal) && withdraw(e.Source) && e.State is OutboxState.Due or OutboxState.Deferred)
            .Select(e => e.Id).ToList());
        history.Append(new HistoryEntry { SubscriberId = subscriberId, At = now, Kind = HistoryKind.PreferencesChanged, Detail = detail });
        return true;
    }
}
