namespace Drip.Outbox;

/// <summary>
/// One send: a durable record, written before anything goes out, keyed by its idempotency key
/// (source, subscriber, step, occurrence) so planning the same thing twice changes nothing.
/// </summary>
public sealed class OutboxEntry
{
    /// <summary>The idempotency key, e.g. <c>seq:post-sale:0:{subscriber}:{event}</c>; the Message-ID derives from it.</summary>
    public string Id { get; set; } = "";

    public Guid SubscriberId { get; set; }

    public string LetterId { get; set; } = "";

    /// <summary>What asked for it: <c>sequence:post-sale</c>, <c>campaign:spring-news-20260301</c>.</summary>
    public string Source { get; set; } = "";

    public DateTimeOffset DueAt { get; set; }

    /// <summary>When the dispatcher next needs to look at it: the due time, the lease end, or never (terminal).</summary>
    public DateTimeOffset ReadyAt { get; set; }

    public OutboxState State { get; set; }

    /// <summary>Urgent sends (a same-day thank-you) are not held back by frequency caps.</summary>
    public bool Urgent { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public int? SmtpStatus { get; set; }

    public string? MessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Which rules placed it where it is, for <c>drip plan --email</c>.</summary>
    public string? Reason { get; set; }

    /// <summary>The sending window it was placed in, e.g. <c>Tue-Thu 10:00-12:00</c> (empty for sends due at once).</summary>
    public string? Window { get; set; }

    /// <summary>Values for this one letter, e.g. <c>years</c> for an anniversary or a <c>discount_code</c>.</summary>
    public Dictionary<string, string>? Data { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// The subject the letter went out with. A sent letter has no timeline line of its own (a million-letter send would write
    /// a million): the timeline shows the send, with this subject.
    /// </summary>
    public string? Subject { get; set; }

    public bool IsOpen => State is OutboxState.Due or OutboxState.Deferred or OutboxState.Claimed;

    public static OutboxEntry Create(string key, Guid subscriberId, string letterId, string source, DateTimeOffset dueAt, bool urgent, DateTimeOffset now) => new()
    {
        Id = key,
        SubscriberId = subscriberId,
        LetterId = letterId,
        Source = source,
        DueAt = dueAt,
        ReadyAt = dueAt,
        State = OutboxState.Due,
        Urgent = urgent,
        CreatedAt = now,
    };

    /// <summary>Moves to a final state; it will never be picked up again.</summary>
    public void Close(OutboxState state, string? error = null)
    {
        State = state;
        LastError = error;
        ReadyAt = DateTimeOffset.MaxValue;
    }

    public void Defer(DateTimeOffset retryAt, string error)
    {
        State = OutboxState.Deferred;
        LastError = error;
        DueAt = retryAt;
        ReadyAt = retryAt;
    }
}
