using System.ComponentModel.DataAnnotations;

namespace Drip.Delivery;

/// <summary>How the dispatcher works through the outbox (section <c>Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>How often the scheduler looks for due sends.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a claimed send stays claimed before another attempt may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Waits between attempts after a temporary failure; once they run out the send is marked failed.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>When the relay cannot be reached at all, wait this long and try again (attempts are not counted).</summary>
    public TimeSpan UnreachableRetry { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromHours(12),
    ];
}
