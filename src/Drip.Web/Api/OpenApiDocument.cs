using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace Drip.Web.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, made by ASP.NET Core from the mapped endpoints: only
/// the <c>/api</c> routes (the admin pages and public pages are HTML, not API), with the bearer API-key
/// scheme required on every operation. The document is public: it describes the shape of the API, which
/// is in the README of an open-source project anyway, and holds no data; a client can read it before it
/// has a key, and every operation it lists still answers 401 without one.
/// </summary>
internal static class OpenApiDocument
{
    public const string Path = "/openapi/{documentName}.json";
    private const string SchemeId = "apiKey";

    public static IServiceCollection AddDripOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.OrdinalIgnoreCase) == true;
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Drip API",
                Version = "v1",
                Description = "Subscribers, events that start sequences, campaigns, letters and their previews, stats and API keys. " +
                              "Every operation needs an API key sent as 'Authorization: Bearer KEY'; errors are application/problem+json.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "drip_…",
                Description = "An API key made with 'drip apikey add NAME' or on /admin/api-keys, sent as 'Authorization: Bearer KEY' (or in an X-Api-Key header).",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    });
}
