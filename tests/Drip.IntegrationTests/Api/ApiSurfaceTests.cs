using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>
/// Every endpoint the host maps, read from its own <see cref="EndpointDataSource"/>, so a route added later is
/// checked without anyone remembering to: the API answers 401 without a key, the admin pages send a stranger
/// to sign in, and the only routes open to anyone are the public ones named here.
/// </summary>
public sealed partial class ApiSurfaceTests : IDisposable
{
    /// <summary>The routes anyone may reach: the pages behind links in letters, the sign-up form, the sign-in page, the API's description.</summary>
    private static readonly HashSet<string> Public =
    [
        "/",
        "/u/{token}",
        "/o/{token}",
        "/c/{token}",
        "/stay/{token}",
        "/subscribe",
        "/subscribe/embed",
        "/confirm/{token}",
        "/admin/sign-in",
        "/openapi/{documentName}.json",
    ];

    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    private static List<(string Method, string Pattern, Endpoint Endpoint)> Routes(DripApplication app) =>
        app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, Normalise(e.RoutePattern.RawText!), (Endpoint)e)))
            .ToList();

    /// <summary>"/api/keys/" (a group's root) and "api/keys" are both "/api/keys".</summary>
    private static string Normalise(string pattern) => "/" + pattern.Trim('/');

    private static bool IsOpen(Endpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null || e.Metadata.GetMetadata<IAuthorizeData>() is null;

    /// <summary>A request path for a pattern: each route parameter filled with a value of the right shape.</summary>
    private static string Sample(string pattern) => Parameter().Replace(pattern, m => m.Value.Contains(":guid") ? Guid.NewGuid().ToString() : "sample");

    [Fact]
    public async Task Every_api_endpoint_answers_401_with_a_problem_document_when_no_key_is_sent()
    {
        await using var app = App();
        var client = app.CreateClient();
        var api = Routes(app).Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal) || r.Pattern == "/api").ToList();
        Assert.True(api.Count >= 10, $"only {api.Count} API routes found");
        Assert.Contains(api, r => r.Pattern == "/api/letters/{id}/preview");

        foreach (var (method, pattern, _) in api)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Sample(pattern));
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {pattern} answered {(int)response.StatusCode} without a key");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task Every_api_endpoint_refuses_a_wrong_key_too()
    {
        await using var app = App();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "drip_" + new string('A', 43));
        foreach (var (method, pattern, _) in Routes(app).Where(r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Sample(pattern));
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task Every_admin_page_sends_a_stranger_to_the_sign_in_page()
    {
        await using var app = App();
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var admin = Routes(app).Where(r => r.Pattern.StartsWith("/admin", StringComparison.Ordinal) && !IsOpen(r.Endpoint)).ToList();
        Assert.Contains(admin, r => r.Pattern == "/admin/api-keys");

        foreach (var (method, pattern, _) in admin)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), Sample(pattern)) { Content = method == "GET" ? null : new FormUrlEncodedContent([]) };
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {pattern} answered {(int)response.StatusCode} to a stranger");
            Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        }
    }

    [Fact]
    public async Task Only_the_public_routes_are_open_without_a_key_or_a_sign_in()
    {
        await using var app = App();

        var open = Routes(app).Where(r => IsOpen(r.Endpoint)).Select(r => r.Pattern).ToHashSet();

        var unexpected = open.Except(Public).ToList();
        Assert.True(unexpected.Count == 0, $"open to anyone but not on the public list: {string.Join(", ", unexpected)}");
        Assert.Empty(Public.Except(open));
        Assert.DoesNotContain(open, p => p.StartsWith("/api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_route_is_api_admin_or_public()
    {
        await using var app = App();

        var stray = Routes(app).Where(r => !r.Pattern.StartsWith("/api/", StringComparison.Ordinal) && !r.Pattern.StartsWith("/admin", StringComparison.Ordinal) && !Public.Contains(r.Pattern))
            .Select(r => $"{r.Method} {r.Pattern}").ToList();

        Assert.True(stray.Count == 0, $"routes outside /api, /admin and the public list: {string.Join(", ", stray)}");
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    public void Dispose() => _data.Dispose();
}
