using Drip.Scheduling;
using Drip.Security;
using Drip.Web.Admin;
using Drip.Web.Api;
using Drip.Web.Auth;
using Drip.Web.Commands;
using Drip.Web.Public;
using Drip.Web.Security;
using Microsoft.Extensions.Options;

namespace Drip.Web;

/// <summary>Builds the web host: engine, scheduler, authentication, API and the public unsubscribe endpoint.</summary>
internal static class DripHost
{
    /// <param name="args">Command-line arguments; settings may come as <c>--Key=value</c>.</param>
    /// <param name="overrides">
    /// Registrations that replace Drip's own, applied last. Tests that run the real host on Kestrel give it
    /// their clock this way; WebApplicationFactory's ConfigureTestServices does the same for the in-memory host.
    /// </param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDrip(builder.Configuration);
        builder.Services.AddSingleton<IValidateOptions<SigningOptions>, SigningKeySourceValidator>();
        builder.Services.AddDripScheduling();
        builder.Services.AddHostedService<TemplateCheck>();
        builder.Services.AddHostedService<SigningKeyCheck>();
        builder.Services.AddHostedService<TemplateWatcher>();
        builder.Services.AddHostedService<HostFileWriter>();
        builder.Services.AddDripProblemDetails();
        builder.Services.AddDripOpenApi();
        builder.Services.AddDripAuthentication();
        builder.Services.AddDripAdmin();
        builder.Services.AddSingleton<EngineCommands>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

        overrides?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseDripStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapGet("/", () => Results.Text("Drip is running. The web app is at /admin, the API under /api (its OpenAPI document at /openapi/v1.json); see README.md.\n"));
        app.MapPreferencePages();
        app.MapSignUpPages();
        app.MapTracking();
        app.MapSubscribersApi();
        app.MapEventsApi();
        app.MapCampaignsApi();
        app.MapOutboxApi();
        app.MapPlanApi();
        app.MapLifecycleApi();
        app.MapKeysApi();
        app.MapLettersApi();
        app.MapStatsApi();
        app.MapOpenApi(OpenApiDocument.Path);
        app.MapAdminPages();
        return app;
    }
}
