using System.Security.Cryptography;
using System.Text;

namespace Drip.Outbox;

/// <summary>Builds the keys that make every planned send unique, and the Message-ID each key implies.</summary>
public static class IdempotencyKey
{
    public static string ForSequenceStep(string sequenceId, int step, Guid subscriberId, Guid eventId) =>
        $"seq:{sequenceId}:{step}:{subscriberId:N}:{eventId:N}";

    public static string ForCampaign(string campaignId, Guid subscriberId) => $"campaign:{campaignId}:{subscriberId:N}";

    /// <summary>
    /// A stable Message-ID: the same send always gets the same id, so a receiver (or a human) can tell
    /// a retry of one letter from two letters.
    /// </summary>
    public static string MessageId(string key, string domain)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return $"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}@{domain}";
    }
}
