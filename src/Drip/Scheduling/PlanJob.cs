using Drip.Cadence;
using Drip.Planning;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Drip.Scheduling;

/// <summary>
/// The scheduler's tick for the planner: turn recorded events nobody planned yet into sends, and, every
/// <see cref="FrequencyCaps.PlanEvery"/>, plan programs and date letters for everyone up to the horizon.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PlanJob(SequencePlanner sequences, PlanningPass cadence, FrequencyCaps caps, ILogger<PlanJob> log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var added = sequences.PlanPending();
        if (added > 0)
        {
            log.LogInformation("Planned {Count} sends from recorded events", added);
        }
        var planned = cadence.RunIfDue(caps.PlanEvery);
        if (planned > 0)
        {
            log.LogInformation("Planned {Count} program and date letters", planned);
        }
        return ValueTask.CompletedTask;
    }
}
