namespace Drip.Outbox;

/// <summary>Where one send stands. Only <see cref="Due"/>, <see cref="Deferred"/> and an expired <see cref="Claimed"/> are picked up.</summary>
public enum OutboxState
{
    /// <summary>Waiting for its time.</summary>
    Due,

    /// <summary>Taken by the dispatcher under a lease; back to work if the lease runs out (a crash).</summary>
    Claimed,

    /// <summary>A temporary failure (4xx, dropped connection, render error); tried again at <see cref="OutboxEntry.DueAt"/>.</summary>
    Deferred,

    /// <summary>The SMTP server accepted it (or it was written to the pickup folder).</summary>
    Sent,

    /// <summary>Permanently refused by the server (5xx); the subscriber's history says so.</summary>
    Bounced,

    /// <summary>Given up: retries exhausted or the letter no longer exists.</summary>
    Failed,

    /// <summary>Not sent because the subscriber may no longer be written to (unsubscribed, bounced, gone).</summary>
    Skipped,
}
