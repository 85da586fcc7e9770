using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>Signing in and out of the marketer's pages through the real form in Chromium.</summary>
public sealed class SignInTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task A_wrong_password_shows_the_error_and_keeps_the_form()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;

        await session.GoToAsync("/admin", "asked-to-sign-in");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/sign-in"));

        await page.GetByLabel("Email").FillAsync(DripServer.AdminEmail);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That email and password do not match an account.");
        await session.ShotAsync("wrong-password");
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_right_password_lands_on_the_dashboard_with_its_structure_chart()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;

        await session.GoToAsync("/admin", "asked-to-sign-in");
        await page.GetByLabel("Email").FillAsync(DripServer.AdminEmail);
        await page.GetByLabel("Password").FillAsync(DripServer.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await session.ShotAsync("dashboard");
        Assert.Equal("/admin", new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Share of active, passive and fan subscribers against a typical base" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Sign out {DripServer.AdminEmail}" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_returns_to_the_form_and_the_dashboard_asks_again()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = $"Sign out {DripServer.AdminEmail}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/sign-in$"));
        await session.ShotAsync("signed-out");

        await session.GoToAsync("/admin", "dashboard-after-sign-out");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/sign-in\\?"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToHaveCountAsync(0);
    }
}
