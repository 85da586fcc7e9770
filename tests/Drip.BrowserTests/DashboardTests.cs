using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>The dashboard as the marketer sees it after the first letters have gone out.</summary>
public sealed class DashboardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task After_a_sale_the_dashboard_counts_the_subscribers_and_the_sent_thank_you()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;
        await session.Server.ImportAsync("email,first_name\nada@example.org,Ada\ngrace@example.org,Grace\n");
        await session.Server.SellAndSendThankYouAsync("ada@example.org");

        await session.SignInAsync();

        await Expect(Card(page, "Active")).ToHaveTextAsync(new Regex(@"^\s*Active\s*2\s*$"));
        await Expect(Card(page, "Letters sent")).ToHaveTextAsync(new Regex(@"^\s*Letters sent\s*1\s*$"));
        await Expect(Card(page, "Waiting to go")).ToHaveTextAsync(new Regex(@"^\s*Waiting to go\s*2\s*$")); // the rest of the post-sale program
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Share of active, passive and fan subscribers against a typical base" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Active 0, passive 2, fans 0.")).ToBeVisibleAsync();

        var thankYou = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "thank-you", Exact = true }) });
        await Expect(thankYou).ToHaveCountAsync(1);
        await Expect(thankYou.GetByRole(AriaRole.Cell).Nth(1)).ToHaveTextAsync("1"); // Sent
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Next 7 days" })).ToBeVisibleAsync();
    }

    private static ILocator Card(IPage page, string label) =>
        page.Locator(".card").Filter(new() { HasTextRegex = new Regex("^\\s*" + Regex.Escape(label)) });
}
