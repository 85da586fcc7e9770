using System.Net;
using Drip.IntegrationTests.Admin;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Security;

/// <summary>Password guessing on the sign-in form is throttled per account and per client, on Drip's clock.</summary>
public sealed class SignInThrottleTests : IDisposable
{
    private const string Wrong = "not the password at all";

    private readonly TestData _data = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private DripApplication App() => new(_data.DataPath, null, _clock);

    [Fact]
    public async Task The_sixth_attempt_after_five_wrong_passwords_is_refused_even_with_the_right_one_until_fifteen_minutes_pass()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(password: Wrong)).StatusCode);
            _clock.Advance(TimeSpan.FromSeconds(10));
        }
        var refused = await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many failed sign-ins. Wait 15 minutes and try again", await refused.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(15 * 60 - 50), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode); // still not signed in

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(50) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync()).StatusCode);
        _clock.Advance(TimeSpan.FromSeconds(1)); // the first failure is now 15 minutes old
        var allowed = await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_successful_sign_in_clears_the_accounts_failures()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(password: Wrong)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);

        var again = new AdminBrowser(app);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await again.SignInAsync(password: Wrong)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync()).StatusCode);
    }

    [Fact]
    public async Task One_client_guessing_across_many_addresses_is_stopped_after_twenty_failures()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        // The in-memory server has no client address: every request here is the same client.
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(email: $"guess{i % 5}@example.com", password: Wrong)).StatusCode);
        }

        var refused = await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
    }

    public void Dispose() => _data.Dispose();
}
