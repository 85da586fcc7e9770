namespace Drip.Delivery;

/// <summary>What happened to one letter at the SMTP server.</summary>
public enum SendResult
{
    /// <summary>Accepted (250 after DATA), or written to the pickup folder.</summary>
    Delivered,

    /// <summary>Refused for now (4xx) or the connection broke mid-transaction: try again later.</summary>
    Transient,

    /// <summary>Refused for good (5xx).</summary>
    Permanent,

    /// <summary>The relay could not be reached at all; nothing was attempted for this letter.</summary>
    Unreachable,
}

/// <summary>The result of one send attempt with the server's code and words.</summary>
public sealed record SendOutcome(SendResult Result, int? StatusCode, string Detail)
{
    public static readonly SendOutcome Delivered = new(SendResult.Delivered, 250, "accepted");

    /// <summary>A refusal of the recipient itself (mailbox unknown, disabled, bad syntax) rather than of the message or sender.</summary>
    public bool IsRecipientRefusal { get; init; }
}
