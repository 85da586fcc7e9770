using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Drip.IntegrationTests.Admin;
using Drip.Security;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Security;

/// <summary>
/// Every GET route the host maps, read from its route table and called signed in (admin pages), with an API key (the
/// API) and with valid signed tokens (public pages), answers with the protective headers; no page runs inline script.
/// </summary>
public sealed partial class SecurityHeadersTests : IDisposable
{
    private const string Letter = "how-did-we-do";

    private readonly TestData _data = new();

    [Fact]
    public async Task Every_page_carries_a_content_security_policy_without_inline_scripts_and_every_response_nosniff()
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var api = app.CreateApiClient();
        var created = await api.PostAsJsonAsync("/api/subscribers", new { email = "ada@example.org", firstName = "Ada" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subscriber = Guid.Parse(created.Headers.Location!.OriginalString.Split('/')[^1]);
        var signer = app.Get<TokenSigner>();
        var concrete = new Dictionary<string, string>
        {
            ["/admin/programs/{id}"] = "/admin/programs/weekly",
            ["/admin/programs/{id}/preview"] = "/admin/programs/weekly/preview?subscriber=ada@example.org",
            ["/admin/programs/{id}/yaml"] = "/admin/programs/weekly/yaml",
            ["/admin/sequences/{id}"] = "/admin/sequences/post-sale",
            ["/admin/sequences/{id}/yaml"] = "/admin/sequences/post-sale/yaml",
            ["/admin/letters/{id}/edit"] = $"/admin/letters/{Letter}/edit",
            ["/admin/calendar/{day}"] = "/admin/calendar/2026-11-24",
            ["/admin/subscribers/{id:guid}"] = $"/admin/subscribers/{subscriber}",
            ["/admin/assets/{name}"] = "/admin/assets/editor.js",
            ["/api/subscribers/{id:guid}"] = $"/api/subscribers/{subscriber}",
            ["/api/subscribers/{id:guid}/timeline"] = $"/api/subscribers/{subscriber}/timeline",
            ["/api/letters/{id}"] = $"/api/letters/{Letter}",
            ["/api/letters/{id}/preview"] = $"/api/letters/{Letter}/preview?subscriber={subscriber}",
            ["/u/{token}"] = $"/u/{signer.Sign(TokenPurpose.Unsubscribe, subscriber)}",
            ["/stay/{token}"] = $"/stay/{signer.Sign(TokenPurpose.Stay, subscriber)}",
            ["/confirm/{token}"] = $"/confirm/{signer.Sign(TokenPurpose.Confirm, subscriber, "0")}",
            ["/o/{token}"] = $"/o/{signer.Sign(TokenPurpose.Open, subscriber, Letter)}",
        };
        var routes = app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/')).Distinct().ToList();
        Assert.True(routes.Count >= 40, $"only {routes.Count} GET routes found");

        var pages = new List<string>();
        foreach (var pattern in routes)
        {
            var path = concrete.GetValueOrDefault(pattern) ?? Parameter().Replace(pattern, "sample");
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                request.Headers.Authorization = new("Bearer", DripApplication.ApiKey);
            }
            var response = await browser.Http.SendAsync(request);
            var what = $"GET {path} ({(int)response.StatusCode})";

            Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) && nosniff.Single() == "nosniff", $"{what} has no X-Content-Type-Options: nosniff");
            Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer) && referrer.Single() == "same-origin", $"{what} has no Referrer-Policy");
            if (response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                continue;
            }
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var policies), $"{what} is a page without a Content-Security-Policy");
            var policy = Directives(policies.Single());
            Assert.True(policy.TryGetValue("script-src", out var scripts) && scripts == "'self'", $"{what}: script-src is '{scripts}', not 'self' alone");
            Assert.Equal("'none'", policy.GetValueOrDefault("frame-ancestors"));
            Assert.Equal("'self'", policy.GetValueOrDefault("default-src"));
            Assert.Equal("'self'", policy.GetValueOrDefault("form-action"));
            Assert.Equal("'none'", policy.GetValueOrDefault("base-uri"));
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            var html = await response.Content.ReadAsStringAsync();
            Assert.False(InlineScript().IsMatch(html), $"{what} has an inline <script> without src: {InlineScript().Match(html).Value}");
            Assert.False(EventHandler().IsMatch(html), $"{what} has an inline event handler: {EventHandler().Match(html).Value}");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                pages.Add(pattern);
            }
        }

        // The walk reached the pages themselves, not only sign-in redirects and refusals of made-up values.
        Assert.Superset(new HashSet<string>
        {
            "/admin", "/admin/letters/{id}/edit", "/admin/programs/{id}/preview", "/admin/subscribers/{id:guid}", "/admin/subscribers/import",
            "/admin/calendar", "/admin/api-keys", "/admin/sign-in", "/u/{token}", "/stay/{token}", "/confirm/{token}", "/subscribe",
        }, pages.ToHashSet());
    }

    [Fact]
    public async Task Api_answers_csv_downloads_and_errors_are_nosniff_too()
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var answers = new[]
        {
            await app.CreateApiClient().GetAsync("/api/stats"),
            await app.CreateClient().GetAsync("/api/stats"), // 401 problem document
            await browser.Http.GetAsync("/admin/subscribers/export.csv"),
            await app.CreateClient().GetAsync("/openapi/v1.json"),
        };

        Assert.Equal(["application/json", "application/problem+json", "text/csv", "application/json"], answers.Select(a => a.Content.Headers.ContentType?.MediaType));
        Assert.All(answers, a => Assert.Equal("nosniff", a.Headers.GetValues("X-Content-Type-Options").Single()));
    }

    private static Dictionary<string, string> Directives(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : "");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex EventHandler();

    public void Dispose() => _data.Dispose();
}
