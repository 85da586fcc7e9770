using System.Text.RegularExpressions;
using Drip.Subscribers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>
/// The README's "Try it in the browser", click by click: sign in, import the sample subscribers, preview the weekly
/// program as one of them, and see next week's sends on the calendar. Only links and buttons a newcomer sees are used.
/// </summary>
public sealed class NewcomerWalkthroughTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    // A Monday morning: the weekly program's first letters go out Tuesday to Thursday.
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sign_in_import_the_samples_preview_the_weekly_program_as_ada_and_see_the_calendar()
    {
        await using var session = await chromium.OpenAsync(now: Monday);
        var page = session.Page;
        var nav = page.Locator("header nav");
        await session.SignInAsync();

        // Import the sample subscribers.
        await nav.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Import a CSV file" }).ClickAsync();
        await page.Locator("input[type=file][name=file]").SetInputFilesAsync(Path.Combine(Repository.Root, "samples", "subscribers.csv"));
        await session.ShotAsync("samples-chosen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Expect(page.GetByText(new Regex(@"\bdone\b", RegexOptions.IgnoreCase)).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await session.ShotAsync("samples-imported");
        var samples = File.ReadAllLines(Path.Combine(Repository.Root, "samples", "subscribers.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l[..l.IndexOf(',', StringComparison.Ordinal)].Trim('"')).ToList();
        Assert.All(samples, email => Assert.NotNull(session.Server.Get<ISubscriberStore>().FindByEmail(email)));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Subscribers" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ada@example.org" })).ToHaveCountAsync(1);
        await session.ShotAsync("subscribers");

        // Preview the weekly program as Ada.
        await nav.GetByRole(AriaRole.Link, new() { Name = "Programs" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Preview as a subscriber" }).First.ClickAsync();
        await page.Locator("input[name=subscriber]").FillAsync("ada@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show their letters" }).ClickAsync();
        var rows = page.Locator("#program-preview tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 6, "four weeks of a two-a-week program");
        await Expect(rows.First.Locator("td").First).ToContainTextAsync(new Regex(@"^(Tue|Wed|Thu) "));
        await Expect(rows.First.GetByRole(AriaRole.Link)).ToContainTextAsync("Ada");
        await session.ShotAsync("weekly-as-ada");

        // Her first letter in the editor, previewed as her.
        await rows.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("#preview-subject")).ToContainTextAsync("Ada");
        await session.ShotAsync("first-letter-as-ada");

        // Next week's sends on the calendar, and who gets them.
        await nav.GetByRole(AriaRole.Link, new() { Name = "Calendar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Calendar"), Level = 1 })).ToBeVisibleAsync();
        var counts = page.Locator("a.count");
        Assert.True(await counts.CountAsync() > 0, "the calendar shows planned sends");
        await Expect(page.GetByText("10:00-12:00").First).ToBeVisibleAsync();
        await session.ShotAsync("calendar");
        await counts.First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasTextRegex = new Regex("@example\\.") }).First).ToBeVisibleAsync();
        await session.ShotAsync("who-gets-what");
    }
}
