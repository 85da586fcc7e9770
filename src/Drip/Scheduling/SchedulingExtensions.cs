using Drip.Delivery;
using Drip.Engagement;
using Drip.Inbound;
using Drip.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;

namespace Drip.Scheduling;

/// <summary>Registers Quartz with the planner and dispatcher ticks, run as a hosted service.</summary>
public static class SchedulingExtensions
{
    public static IServiceCollection AddDripScheduling(this IServiceCollection services)
    {
        services.AddQuartz();
        // Before Quartz's own hosted service, so the triggers exist when the scheduler starts.
        services.AddHostedService<TickRegistrar>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>
    /// Adds the repeating triggers once the configuration is final (intervals come from the validated
    /// options, so tests and environment variables can change them). The first tick comes one interval after start.
    /// </summary>
    private sealed class TickRegistrar(ISchedulerFactory schedulers, IServiceProvider services, DispatchOptions dispatch, PlanningOptions planning, PurgeOptions purge,
        InboundOptions inbound, TimeProvider clock) : IHostedService
    {
        public static readonly JobKey PlanJob = new("plan");
        public static readonly JobKey DispatchJob = new("dispatch");
        public static readonly JobKey NightlyJob = new("nightly");
        public static readonly JobKey InboundJob = new("inbound");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // What a process that died had sent but not stored goes to the store before anything else runs. Resolved here, not
            // taken in the constructor: hosted services are all built before the options are validated, and the dispatcher
            // opens the store, which a host refused for its configuration must leave closed.
            await services.GetRequiredService<Dispatcher>().RecoverAsync(cancellationToken);
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            var now = clock.GetUtcNow();
            await scheduler.ScheduleJob(JobBuilder.Create<PlanJob>().WithIdentity(PlanJob).Build(), Repeating(PlanJob, planning.Interval, now), default, cancellationToken);
            await scheduler.ScheduleJob(JobBuilder.Create<DispatchJob>().WithIdentity(DispatchJob).Build(), Repeating(DispatchJob, dispatch.Interval, now), default, cancellationToken);
            await scheduler.ScheduleJob(JobBuilder.Create<InboundJob>().WithIdentity(InboundJob).Build(), Repeating(InboundJob, inbound.Interval, now), default, cancellationToken);
            // A daily simple trigger rather than a cron one: a cron trigger on a test's fake clock kept the scheduler from shutting down.
            var firstNight = new DateTimeOffset(now.UtcDateTime.Date.AddHours(purge.HourUtc), TimeSpan.Zero);
            var nightly = TriggerBuilder.Create().WithIdentity("nightly-tick").ForJob(NightlyJob)
                .StartAt(firstNight > now ? firstNight : firstNight.AddDays(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromDays(1)).RepeatForever())
                .Build();
            await scheduler.ScheduleJob(JobBuilder.Create<NightlyJob>().WithIdentity(NightlyJob).Build(), nightly, default, cancellationToken);
        }

        private static ITrigger Repeating(JobKey job, TimeSpan interval, DateTimeOffset now) => TriggerBuilder.Create()
            .WithIdentity(job.Name + "-tick")
            .ForJob(job)
            .StartAt(now + interval)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever())
            .Build();

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
