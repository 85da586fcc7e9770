using Drip.Delivery;
using Drip.Planning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Drip.Scheduling;

/// <summary>Registers Quartz with the planner and dispatcher ticks, run as a hosted service.</summary>
public static class SchedulingExtensions
{
    public static IServiceCollection AddDripScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        var dispatch = configuration.GetSection(DispatchOptions.Section).Get<DispatchOptions>() ?? new DispatchOptions();
        var planning = configuration.GetSection(PlanningOptions.Section).Get<PlanningOptions>() ?? new PlanningOptions();
        services.AddQuartz(q =>
        {
            q.ScheduleJob<PlanJob>(t => t.WithIdentity("plan").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(planning.Interval).RepeatForever()));
            q.ScheduleJob<DispatchJob>(t => t.WithIdentity("dispatch").StartNow()
                .WithSimpleSchedule(s => s.WithInterval(dispatch.Interval).RepeatForever()));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
