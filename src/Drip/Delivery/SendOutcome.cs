using System.Text.RegularExpressions;

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
public sealed partial record SendOutcome(SendResult Result, int? StatusCode, string Detail)
{
    public static readonly SendOutcome Delivered = new(SendResult.Delivered, 250, "accepted");

    /// <summary>A refusal of the recipient itself (mailbox unknown, disabled, bad syntax) rather than of the message or sender.</summary>
    public bool IsRecipientRefusal { get; init; }

    /// <summary>
    /// The mailbox itself is refused for good (5.1.x unknown user, a bare 550): no letter should go there
    /// again. A policy refusal (5.7.x: authentication, reputation) is the sender's to fix and is not this.
    /// </summary>
    public bool MailboxGone => Result == SendResult.Permanent && IsRecipientRefusal && !PolicyCode().IsMatch(Detail);

    [GeneratedRegex(@"\b5\.7\.\d{1,3}\b")]
    private static partial Regex PolicyCode();
}
