using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Drip.Web.Api;

/// <summary>
/// Errors as <c>application/problem+json</c>: a body that does not bind (malformed JSON, a wrong type, a
/// missing parameter) becomes 400 with a detail that says what was wrong instead of an exception page, and
/// every body-less error under <c>/api</c> (401, 404, 405 …) gets a problem document whatever the client accepts.
/// </summary>
internal static class ApiProblems
{
    public static IServiceCollection AddDripProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestHandler>();
        // Outside Development the framework answers a binding failure with a bare 400; thrown, it reaches
        // BadRequestHandler, which can say what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static IApplicationBuilder UseDripStatusCodePages(this IApplicationBuilder app)
    {
        var fallback = new StatusCodePagesOptions().HandleAsync;
        return app.UseStatusCodePages(new StatusCodePagesOptions
        {
            HandleAsync = context => IsApi(context.HttpContext.Request)
                ? TypedResults.Problem(DetailFor(context.HttpContext), statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext)
                : fallback(context),
        });
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static string? DetailFor(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status401Unauthorized => "this endpoint needs an API key: send 'Authorization: Bearer KEY' (make a key with 'drip apikey add NAME')",
        StatusCodes.Status403Forbidden => "this API key may not do that",
        StatusCodes.Status404NotFound => $"there is no {http.Request.Path} in the API; the endpoints are listed in /openapi/v1.json",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not take {http.Request.Method}",
        _ => null,
    };

    /// <summary>Turns the framework's <see cref="BadHttpRequestException"/> into a problem document with a readable detail.</summary>
    private sealed class BadRequestHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException bad)
            {
                return false;
            }
            // "Failed to read parameter … as JSON." says where; the JSON reader's message says what and at which position.
            var detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
            await TypedResults.Problem(detail, statusCode: bad.StatusCode, title: "The request could not be read").ExecuteAsync(httpContext);
            return true;
        }
    }
}
