using Drip.Planning;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Drip.Scheduling;

/// <summary>The scheduler's tick for the planner: turn recorded events nobody planned yet into sends.</summary>
[DisallowConcurrentExecution]
public sealed class PlanJob(SequencePlanner planner, ILogger<PlanJob> log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var added = planner.PlanPending();
        if (added > 0)
        {
            log.LogInformation("Planned {Count} sends from recorded events", added);
        }
        return ValueTask.CompletedTask;
    }
}
