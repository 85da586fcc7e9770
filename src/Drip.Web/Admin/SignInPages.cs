using System.Globalization;
using System.Security.Claims;
using Drip.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static Drip.Web.Admin.AdminPage;

namespace Drip.Web.Admin;

/// <summary>
/// Sign-in and sign-out. Both forms carry an anti-forgery token; after sign-in only a local address is followed;
/// repeated failures are throttled per account and per client (<see cref="SignInThrottle"/>).
/// </summary>
internal static class SignInPages
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/admin/sign-in", (HttpContext http, IAntiforgery antiforgery, AdminAccounts accounts, string? returnUrl) =>
            Form(http, antiforgery, returnUrl, accounts.Count() == 0 ? NoAccountYet : null)).AllowAnonymous();
        routes.MapPost("/admin/sign-in", SignInAsync).AllowAnonymous().DisableAntiforgery();
        routes.MapPost("/admin/sign-out", SignOutAsync).RequireAuthorization(AdminAuthentication.Policy).DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, AdminAccounts accounts, SignInThrottle throttle)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Form(http, antiforgery, null, "The form expired. Please sign in again.", StatusCodes.Status400BadRequest);
        }
        var form = await http.Request.ReadFormAsync();
        var returnUrl = form["returnUrl"].ToString();
        var email = form["email"].ToString();
        if (throttle.Refusal(email, http) is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Form(http, antiforgery, returnUrl, SignInThrottle.Message(wait), StatusCodes.Status429TooManyRequests, email);
        }
        if (accounts.Verify(email, form["password"].ToString()) is not { } account)
        {
            throttle.Failed(email, http);
            return Form(http, antiforgery, returnUrl, "That email and password do not match an account.", StatusCodes.Status401Unauthorized, email);
        }
        throttle.Succeeded(email);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Email)], AdminAuthentication.Scheme);
        await http.SignInAsync(AdminAuthentication.Scheme, new ClaimsPrincipal(identity));
        // Only a path on this site: "//evil.example" and "https://…" are not followed (no open redirect).
        return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/admin");
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        await antiforgery.ValidateRequestAsync(http);
        await http.SignOutAsync(AdminAuthentication.Scheme);
        return Results.LocalRedirect("/admin/sign-in");
    }

    // A fresh install has nobody to sign in as; say how to make the first account rather than leave a dead form.
    private const string NoAccountYet =
        "There is no admin account yet. Create one with 'drip admin add you@example.com' (it asks for the password), or start Drip with Admin__Email and Admin__Password set.";

    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status = StatusCodes.Status200OK, string? email = null) =>
        Render("Sign in", $"""
            {(error is null ? "" : $"""<p class="error" role="alert">{Html(error)}</p>""")}
            <form class="signin" method="post" action="/admin/sign-in">
              {Token(http, antiforgery)}
              <input type="hidden" name="returnUrl" value="{Html(IsLocal(returnUrl) ? returnUrl : "/admin")}">
              <label>Email <input type="email" name="email" value="{Html(email)}" required autocomplete="username"></label>
              <label>Password <input type="password" name="password" required autocomplete="current-password"></label>
              <button type="submit">Sign in</button>
            </form>
            """, null, http, antiforgery, status);
}
