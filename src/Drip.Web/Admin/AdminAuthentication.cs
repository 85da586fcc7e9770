using Drip.Web.Security;

namespace Drip.Web.Admin;

/// <summary>Cookie sign-in for the marketer's pages under <c>/admin</c>; the API keeps its own key scheme.</summary>
internal static class AdminAuthentication
{
    public const string Scheme = "AdminCookie";
    public const string Policy = "Admin";

    /// <summary>The header a page's script sends the anti-forgery token in (the live preview); forms send it as a field.</summary>
    public const string AntiforgeryHeader = "X-Drip-Antiforgery";

    public static IServiceCollection AddDripAdmin(this IServiceCollection services)
    {
        services.AddSingleton<AdminAccounts>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ImportJobs>();
        services.AddHostedService<AdminSeeder>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "drip.af";
            o.HeaderName = AntiforgeryHeader;
            // Its default is to send it over plain HTTP too; like the sign-in cookie, it is Secure whenever the page came over HTTPS.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<LetterPreviewer>();
        services.AddSingleton<TestLetterSender>();
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            o.LoginPath = "/admin/sign-in";
            o.LogoutPath = "/admin/sign-out";
            o.Cookie.Name = "drip.admin";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }
}
