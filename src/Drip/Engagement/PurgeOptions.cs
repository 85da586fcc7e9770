using System.ComponentModel.DataAnnotations;

namespace Drip.Engagement;

/// <summary>
/// List cleaning (section <c>Purge</c>). Defaults from DOMAIN §5–6: interest fades over about 18 months,
/// so nobody is asked before that; then a re-engagement letter, then a purge of those who still do not answer.
/// </summary>
public sealed class PurgeOptions
{
    public const string Section = "Purge";

    /// <summary>Whether the nightly job re-engages and purges; <c>drip purge --dry-run</c> works either way.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>No human open or click for this long, and on the list at least this long, before anything happens.</summary>
    public TimeSpan InactiveFor { get; set; } = TimeSpan.FromDays(548);

    /// <summary>At least this many letters received since the last engagement: silence after a few letters proves little.</summary>
    [Range(1, 1000)]
    public int MinLetters { get; set; } = 10;

    /// <summary>How long a re-engagement letter waits for an answer before the purge.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The re-engagement letter; it offers <c>{{ stay_url }}</c>.</summary>
    [Required]
    public string Letter { get; set; } = "still-interested";

    /// <summary>The hour (UTC) of the nightly run.</summary>
    [Range(0, 23)]
    public int HourUtc { get; set; } = 3;
}
