using System.ComponentModel.DataAnnotations;

namespace Drip.Feedback;

/// <summary>
/// The bounce policy (section <c>Bounces</c>): a hard bounce or a complaint suppresses at once;
/// <see cref="SoftLimit"/> soft bounces within <see cref="SoftWindow"/> suppress too.
/// </summary>
public sealed class BounceOptions
{
    public const string Section = "Bounces";

    [Range(1, 100)]
    public int SoftLimit { get; set; } = 3;

    public TimeSpan SoftWindow { get; set; } = TimeSpan.FromDays(15);
}
