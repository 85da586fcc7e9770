using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>The marketer's sign-in through the real pipeline: cookies, anti-forgery, no open redirect, sign-out.</summary>
public sealed class SignInTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    [Fact]
    public async Task Admin_pages_send_a_stranger_to_the_sign_in_page_and_the_right_password_lets_them_in()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);

        var stranger = await browser.Http.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, stranger.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, stranger.Headers.Location!).AbsolutePath);

        var signedIn = await browser.SignInAsync();
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
        var dashboard = await browser.GetPageAsync("/admin");
        Assert.Contains("<h1>Dashboard</h1>", dashboard);
        Assert.Contains(DripApplication.AdminEmail, dashboard);
    }

    [Fact]
    public async Task A_wrong_password_or_an_unknown_address_is_refused_with_the_same_message()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);

        var wrong = await browser.SignInAsync(password: "not the password at all");
        var unknown = await browser.SignInAsync(email: "nobody@example.com");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var message = "That email and password do not match an account.";
        var again = await wrong.Content.ReadAsStringAsync();
        Assert.Contains(message, again);
        Assert.Contains($"value=\"{DripApplication.AdminEmail}\"", again); // the address is kept; only the password is typed again
        Assert.Contains(message, await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_anti_forgery_token_is_refused()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.GetPageAsync("/admin/sign-in"); // has the anti-forgery cookie, but the form field is left out

        var forged = await browser.Http.PostAsync("/admin/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = DripApplication.AdminEmail,
            ["password"] = DripApplication.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/admin")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task After_sign_in_only_a_local_address_is_followed(string returnUrl)
    {
        await using var app = App();
        var browser = new AdminBrowser(app);

        var signedIn = await browser.SignInAsync(returnUrl: returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/admin", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_and_the_admin_cookie_does_not_open_the_api()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.GetAsync("/api/outbox/summary")).StatusCode);

        var signedOut = await browser.SubmitAsync("/admin", "/admin/sign-out", []);
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_fresh_install_without_an_admin_says_how_to_make_the_first_one()
    {
        await using var app = App();
        app.Settings["Admin:Email"] = "";
        var browser = new AdminBrowser(app);

        var page = await browser.GetPageAsync("/admin/sign-in");

        Assert.Contains("There is no admin account yet", page);
        Assert.Contains("drip admin add", page);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync()).StatusCode);
    }

    public void Dispose() => _data.Dispose();
}
