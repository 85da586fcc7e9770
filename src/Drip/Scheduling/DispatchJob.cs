using Drip.Delivery;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Drip.Scheduling;

/// <summary>The scheduler's tick for the dispatcher: send whatever is due.</summary>
[DisallowConcurrentExecution]
public sealed class DispatchJob(Dispatcher dispatcher, ILogger<DispatchJob> log) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var report = await dispatcher.DispatchDueAsync(cancellationToken);
        if (report.Sent + report.Deferred + report.Bounced + report.Failed + report.Skipped > 0 || report.RelayUnreachable)
        {
            log.LogInformation("Dispatch: {Report}", report);
        }
    }
}
