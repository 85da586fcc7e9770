using System.Net;
using System.Text.RegularExpressions;
using Drip.History;
using Drip.Subscribers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>A reader leaves through the link in a real letter's footer, in Chromium, with no sign-in.</summary>
public sealed partial class UnsubscribeTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task The_footer_link_of_a_sent_letter_opens_the_page_and_its_button_unsubscribes()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;
        var server = session.Server;
        const string email = "ada@example.org";
        await server.ImportAsync($"email,first_name\n{email},Ada\n");
        var letter = await server.SellAndSendThankYouAsync(email);

        var footer = FooterUnsubscribe().Match(letter.HtmlBody ?? "");
        Assert.True(footer.Success, "the thank-you letter's HTML part has an Unsubscribe link");
        var link = new Uri(WebUtility.HtmlDecode(footer.Groups["url"].Value));
        Assert.StartsWith($"{DripServer.PublicBaseUrl}/u/", link.ToString(), StringComparison.Ordinal);

        await session.GoToAsync(link.PathAndQuery, "unsubscribe-page");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Unsubscribe?", Level = 1 })).ToBeVisibleAsync();
        var subscribers = server.Get<ISubscriberStore>();
        Assert.Equal(SubscriberStatus.Active, subscribers.FindByEmail(email)!.Status); // opening the page changes nothing

        await page.GetByLabel("Why are you leaving? (optional)").FillAsync("too many letters");
        await session.ShotAsync("reason-given");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe from everything" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are unsubscribed", Level = 1 })).ToBeVisibleAsync();
        await session.ShotAsync("unsubscribed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resubscribe" })).ToBeVisibleAsync();

        var subscriber = subscribers.FindByEmail(email)!;
        Assert.Equal(SubscriberStatus.Unsubscribed, subscriber.Status);
        Assert.Contains(server.Get<IHistoryStore>().ForSubscriber(subscriber.Id),
            h => h.Kind == HistoryKind.Unsubscribed && h.Detail.Contains("too many letters", StringComparison.Ordinal));
    }

    [GeneratedRegex("""<a href="(?<url>[^"]+/u/[^"]+)"[^>]*>Unsubscribe</a>""")]
    private static partial Regex FooterUnsubscribe();
}
