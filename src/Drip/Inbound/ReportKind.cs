namespace Drip.Inbound;

/// <summary>What a message in the bounce/complaint mailbox says about one recipient.</summary>
public enum ReportKind
{
    /// <summary>Not a delivery report or complaint (ordinary mail, auto-replies).</summary>
    NotAReport,

    /// <summary>Permanent failure caused by the recipient (5.x.x other than 5.7.x): the address should be suppressed.</summary>
    HardBounce,

    /// <summary>Temporary failure the sending MTA finally gave up on (failed with 4.x.x, e.g. mailbox full until the queue expired).</summary>
    SoftBounce,

    /// <summary>A warning that delivery is still being retried; nothing failed yet.</summary>
    Delayed,

    /// <summary>Rejected for policy (5.7.x, e.g. unauthenticated mail): the sender's fault, so the recipient must not be suppressed.</summary>
    PolicyBlock,

    /// <summary>An ARF feedback report: the recipient marked the letter as spam (or fraud, virus, other).</summary>
    Complaint,
}
