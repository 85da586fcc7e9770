using Drip.Web.Commands;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Api;

/// <summary>
/// API keys under <c>/api/keys</c>: make one (the answer is the only time the key is shown), list them
/// (never the keys, only their first characters), revoke one. Any API key may manage keys.
/// </summary>
internal static class KeysApi
{
    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/keys").WithTags("API keys").RequireAuthorization();
        group.MapPost("/", CreateAsync);
        group.MapGet("/", async (EngineCommands commands, CancellationToken ct) => TypedResults.Ok(await commands.ListApiKeysAsync(ct)));
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", RevokeAsync);
        return group;
    }

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem>> CreateAsync(ApiKeyRequest body, HttpContext http, EngineCommands commands, CancellationToken ct)
    {
        try
        {
            var key = await commands.CreateApiKeyAsync(body.Name ?? "", ct);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Created($"/api/keys/{key.Id}", key);
        }
        catch (CommandException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [e.Message] });
        }
    }

    private static async Task<Results<Ok<ApiKeyInfo>, ProblemHttpResult>> GetAsync(string id, EngineCommands commands, CancellationToken ct) =>
        (await commands.ListApiKeysAsync(ct)).FirstOrDefault(k => k.Id == id) is { } key
            ? TypedResults.Ok(key)
            : TypedResults.Problem($"no API key {id}", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, EngineCommands commands, CancellationToken ct)
    {
        try
        {
            await commands.RevokeApiKeyAsync(id, ct);
            return TypedResults.NoContent();
        }
        catch (CommandException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }
}
