namespace Drip.Web.Admin;

/// <summary>Every page of the marketer's web app, mapped in one place; each page file maps its own routes.</summary>
internal static class AdminPages
{
    public static IEndpointRouteBuilder MapAdminPages(this IEndpointRouteBuilder routes)
    {
        routes.MapSignIn();
        routes.MapDashboard();
        routes.MapApiKeyPages();
        return routes;
    }
}
