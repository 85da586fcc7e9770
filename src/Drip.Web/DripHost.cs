using Drip.Scheduling;
using Drip.Web.Admin;
using Drip.Web.Api;
using Drip.Web.Auth;
using Drip.Web.Commands;
using Drip.Web.Public;

namespace Drip.Web;

/// <summary>Builds the web host: engine, scheduler, authentication, API and the public unsubscribe endpoint.</summary>
internal static class DripHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddDrip(builder.Configuration);
        builder.Services.AddDripScheduling();
        builder.Services.AddHostedService<TemplateCheck>();
        builder.Services.AddHostedService<HostFileWriter>();
        builder.Services.AddDripProblemDetails();
        builder.Services.AddDripOpenApi();
        builder.Services.AddDripAuthentication();
        builder.Services.AddDripAdmin();
        builder.Services.AddSingleton<EngineCommands>();
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = 64 * 1024 * 1024);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseDripStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapGet("/", () => Results.Text("Drip is running. The API is under /api; see README.md.\n"));
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
