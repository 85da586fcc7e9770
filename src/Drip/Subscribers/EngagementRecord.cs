namespace Drip.Subscribers;

/// <summary>
/// What a subscriber did with the letters: kept on the subscriber so "who is active" is a read, not a
/// scan of every timeline. Sends are not counted here (that would cost a write per letter); the
/// outbox has them. Opens recognised as machine-made (privacy proxies, scanners) are counted apart
/// and never count as engagement on their own.
/// </summary>
public sealed class EngagementRecord
{
    public DateTimeOffset? LastOpenAt { get; set; }

    public DateTimeOffset? LastClickAt { get; set; }

    public int Opens { get; set; }

    public int MachineOpens { get; set; }

    public int Clicks { get; set; }

    /// <summary>When a re-engagement letter ("do you still want these?") was planned; cleared by any engagement.</summary>
    public DateTimeOffset? ReengagementSentAt { get; set; }

    /// <summary>The last human open or click.</summary>
    public DateTimeOffset? LastEngagedAt => LastClickAt > LastOpenAt || LastOpenAt is null ? LastClickAt : LastOpenAt;
}
