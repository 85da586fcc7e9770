using Drip.Engagement;
using Drip.Subscribers;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Drip.Scheduling;

/// <summary>
/// The nightly housekeeping: unconfirmed sign-ups past their time are deleted, and, when
/// <see cref="PurgeOptions.Enabled"/>, the list-cleaning purge runs (re-engagement letters, then purges),
/// each decision logged and written to the purge report.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NightlyJob(OptIn optIn, Purger purger, PurgeOptions purge, ILogger<NightlyJob> log) : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var expired = optIn.ExpireUnconfirmed();
        if (expired > 0)
        {
            log.LogInformation("Deleted {Count} sign-ups never confirmed", expired);
        }
        if (!purge.Enabled)
        {
            return ValueTask.CompletedTask;
        }
        var report = purger.Run(dryRun: false);
        foreach (var d in report.Decisions)
        {
            log.LogInformation("Purge: {Action} subscriber {Subscriber}: {Why}", d.Action, d.SubscriberId, d.Why);
        }
        log.LogInformation("Purge run: {Reengaged} re-engagement letter(s), {Purged} purged; report {File}", report.Reengaged, report.Purged, report.ReportFile ?? "(none)");
        return ValueTask.CompletedTask;
    }
}
