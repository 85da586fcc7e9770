namespace Drip.Engagement;

/// <summary>
/// How engagement is judged (section <c>Engagement</c>). DOMAIN §5: in a typical base about 17% are
/// active, 80% passive (never open) and 3% fans.
/// </summary>
public sealed class EngagementOptions
{
    public const string Section = "Engagement";

    /// <summary>A human open or click within this makes a subscriber active.</summary>
    public TimeSpan ActiveWithin { get; set; } = TimeSpan.FromDays(90);

    /// <summary>An active subscriber with at least this many clicks is a fan.</summary>
    public int FanClicks { get; set; } = 5;
}
