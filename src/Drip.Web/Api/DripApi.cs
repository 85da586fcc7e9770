using Drip.Campaigns;
using Drip.Events;
using Drip.Web.Commands;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Api;

/// <summary>
/// The authenticated REST API under <c>/api</c>: events, campaigns, plan, outbox summary, lifecycle (subscribers have <see cref="SubscribersApi"/>). Every route
/// here requires an API key; errors are <c>application/problem+json</c>.
/// </summary>
internal static class DripApi
{
    private static RouteGroupBuilder Group(IEndpointRouteBuilder routes, string prefix, string tag)
    {
        var group = routes.MapGroup(prefix).WithTags(tag);
        group.RequireAuthorization();
        return group;
    }

    public static RouteGroupBuilder MapLifecycleApi(this IEndpointRouteBuilder routes)
    {
        var group = Group(routes, "/api", "Lifecycle");
        group.MapPost("/admins", async Task<Results<Ok<AdminResult>, ProblemHttpResult>> (AdminRequest body, EngineCommands commands, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok(await commands.AddAdminAsync(body.Email, body.Password, ct));
            }
            catch (CommandException e)
            {
                return Problem(e);
            }
        });
        group.MapPost("/purge", async (EngineCommands commands, bool? dryRun, CancellationToken ct) => TypedResults.Ok(await commands.PurgeAsync(dryRun ?? true, ct)));
        group.MapGet("/engagement", async Task<Results<Ok<EngagementResult>, ProblemHttpResult>> (EngineCommands commands, string? email, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok(await commands.EngagementAsync(email, ct));
            }
            catch (CommandException e)
            {
                return Problem(e);
            }
        });
        return group;
    }

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = Group(routes, "/api/events", "Events");
        group.MapPost("/", RecordEventAsync);
        return group;
    }

    public static RouteGroupBuilder MapCampaignsApi(this IEndpointRouteBuilder routes)
    {
        var group = Group(routes, "/api/campaigns", "Campaigns");
        group.MapPost("/", StartCampaignAsync);
        return group;
    }

    public static RouteGroupBuilder MapPlanApi(this IEndpointRouteBuilder routes)
    {
        var group = Group(routes, "/api/plan", "Plan");
        group.MapGet("/", PlanAsync);
        return group;
    }

    private static async Task<Results<Ok<PlanResult>, ProblemHttpResult>> PlanAsync(EngineCommands commands, int? days, string? email, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await commands.PlanAsync(days ?? 14, email, ct));
        }
        catch (CommandException e)
        {
            return Problem(e);
        }
    }

    public static RouteGroupBuilder MapOutboxApi(this IEndpointRouteBuilder routes)
    {
        var group = Group(routes, "/api/outbox", "Outbox");
        group.MapGet("/summary", async (EngineCommands commands, CancellationToken ct) => TypedResults.Ok(await commands.SummaryAsync(ct)));
        return group;
    }

    private static async Task<Results<Accepted<EventRecording>, ProblemHttpResult>> RecordEventAsync(EventRequest body, EngineCommands commands, CancellationToken ct)
    {
        try
        {
            return TypedResults.Accepted((string?)null, await commands.RecordEventAsync(body, ct));
        }
        catch (CommandException e)
        {
            return Problem(e);
        }
    }

    private static async Task<Results<Accepted<CampaignResult>, ProblemHttpResult>> StartCampaignAsync(CampaignRequest body, EngineCommands commands, CancellationToken ct)
    {
        try
        {
            return TypedResults.Accepted((string?)null, await commands.StartCampaignAsync(body, ct));
        }
        catch (CommandException e)
        {
            return Problem(e);
        }
    }

    private static ProblemHttpResult Problem(CommandException e) =>
        TypedResults.Problem(e.Message, statusCode: e.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
}
