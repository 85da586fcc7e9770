using System.Text.RegularExpressions;
using Drip.Web.Commands;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>The calendar shows the current week as a grid with what goes out on each day.</summary>
public sealed class CalendarTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    // A Wednesday: the week around it holds Thursday whichever day a week starts on.
    private static readonly DateTimeOffset Wednesday = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static readonly string[] Days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    [Fact]
    public async Task The_calendar_shows_the_week_grid_with_a_planned_campaign()
    {
        await using var session = await chromium.OpenAsync(now: Wednesday);
        var page = session.Page;
        await session.Server.ImportAsync("email,first_name\nada@example.org,Ada\n");
        await session.Server.Get<EngineCommands>().StartCampaignAsync(new CampaignRequest("spring-news", "all", Wednesday.AddDays(1).AddHours(1)), CancellationToken.None);
        await session.SignInAsync();

        var calendar = await session.GoToAsync("/admin/calendar", "calendar");
        Assert.Equal(200, calendar.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("Calendar"), Level = 1 })).ToBeVisibleAsync();
        foreach (var day in Days)
        {
            await Expect(page.GetByRole(AriaRole.Columnheader, new() { NameRegex = new Regex($"^{day}") })).ToHaveCountAsync(1);
        }
        await Expect(page.GetByRole(AriaRole.Table).GetByText("spring-news").First).ToBeVisibleAsync();
    }
}
