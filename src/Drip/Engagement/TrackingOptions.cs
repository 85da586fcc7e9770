namespace Drip.Engagement;

/// <summary>Open and click tracking (section <c>Tracking</c>); both on by default, each can be turned off.</summary>
public sealed class TrackingOptions
{
    public const string Section = "Tracking";

    public bool Opens { get; set; } = true;

    public bool Clicks { get; set; } = true;
}
