namespace Drip.Web.Admin;

/// <summary>Every page of the marketer's web app, mapped in one place; each page file maps its own routes.</summary>
internal static class AdminPages
{
    public static IEndpointRouteBuilder MapAdminPages(this IEndpointRouteBuilder routes)
    {
        routes.MapSignIn();
        routes.MapDashboard();
        routes.MapLetterPages();
        routes.MapAdminAssets();
        routes.MapSubscriberPages();
        routes.MapCalendar();
        routes.MapPurges();
        routes.MapProgramPreview();
        routes.MapProgramPages();
        routes.MapApiKeyPages();
        return routes;
    }
}
