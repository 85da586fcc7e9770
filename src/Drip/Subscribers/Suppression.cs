using System.Security.Cryptography;
using System.Text;

namespace Drip.Subscribers;

/// <summary>
/// An address that must never receive marketing mail again: kept as a SHA-256 hash of the normalised
/// address, so it outlives the subscriber record (deleted, erased, re-imported) without keeping the address.
/// </summary>
public sealed class Suppression
{
    /// <summary>The hash of the lower-cased address (<see cref="HashOf"/>).</summary>
    public string Id { get; set; } = "";

    public SuppressionReason Reason { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What happened, without personal data: "one-click unsubscribe", "550 5.1.1", "abuse report".</summary>
    public string Detail { get; set; } = "";

    /// <summary>The status a subscriber record for a suppressed address takes (on import, or created anew); a method, so it is not stored.</summary>
    public SubscriberStatus RecordStatus() => Reason switch
    {
        SuppressionReason.HardBounce or SuppressionReason.SoftBounces => SubscriberStatus.Bounced,
        SuppressionReason.Complaint => SubscriberStatus.Complained,
        SuppressionReason.Purged => SubscriberStatus.Purged,
        _ => SubscriberStatus.Unsubscribed,
    };

    public static string HashOf(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EmailAddress.Key(email))));
}

/// <summary>Why an address is suppressed.</summary>
public enum SuppressionReason
{
    Unsubscribed,
    HardBounce,
    SoftBounces,
    Complaint,
    Purged,
    Erased,
}

/// <summary>What the engine needs from wherever the suppression list is kept.</summary>
public interface ISuppressionStore
{
    /// <summary>Adds or replaces the entry for its hash.</summary>
    void Add(Suppression suppression);

    /// <summary>Adds or replaces each entry, in one transaction.</summary>
    void AddAll(IReadOnlyCollection<Suppression> suppressions);

    Suppression? Find(string email);

    /// <summary>The entries for any of these addresses, in one read, keyed by <see cref="Suppression.HashOf"/>.</summary>
    IReadOnlyDictionary<string, Suppression> FindAll(IReadOnlyCollection<string> emails);

    /// <summary>Lifts a suppression (the person confirmed a new opt-in or resubscribed); returns whether there was one.</summary>
    bool Remove(string email);

    int Count();
}
