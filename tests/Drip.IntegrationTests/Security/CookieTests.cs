using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Security;

/// <summary>
/// The sign-in cookie and the anti-forgery cookie are out of reach of scripts (HttpOnly), never sent with another
/// site's requests (SameSite=Strict), and Secure whenever the page came over HTTPS (the policy is SameAsRequest, so
/// plain-HTTP development on localhost still works).
/// </summary>
public sealed partial class CookieTests : IDisposable
{
    private readonly TestData _data = new();

    [Theory]
    [InlineData("https://localhost", true)]
    [InlineData("http://localhost", false)]
    public async Task Sign_in_and_anti_forgery_cookies_are_http_only_same_site_strict_and_secure_over_https(string baseAddress, bool secure)
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false, HandleCookies = false });

        var form = await client.GetAsync("/admin/sign-in");
        var antiforgery = Cookie(form, "drip.af");
        var token = AntiforgeryField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/admin/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["email"] = DripApplication.AdminEmail,
                ["password"] = DripApplication.AdminPassword,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }),
        };
        post.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Cookie(signedIn, "drip.admin");

        foreach (var cookie in new[] { antiforgery, session })
        {
            var name = cookie[..cookie.IndexOf('=', StringComparison.Ordinal)];
            var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            Assert.True(attributes.Contains("httponly"), $"{name} is not HttpOnly: {string.Join("; ", attributes)}");
            Assert.True(attributes.Contains("samesite=strict"), $"{name} is not SameSite=Strict: {string.Join("; ", attributes)}");
            Assert.True(attributes.Contains("secure") == secure, $"{name} is {(secure ? "not " : "")}Secure over {baseAddress}: {string.Join("; ", attributes)}");
        }
    }

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal)) is { } cookie
            ? cookie
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage!.RequestUri} set no {name} cookie");

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)">""")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _data.Dispose();
}
