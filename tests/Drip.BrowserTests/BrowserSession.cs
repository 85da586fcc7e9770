using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>
/// One test's browser tab on its own Drip host. Every page the test looks at is saved as a full-page PNG,
/// TestResults/screenshots/&lt;test&gt;-&lt;step&gt;.png, numbered in the order taken; the last picture
/// ("end") shows where the test stopped, which is the one to look at when it failed.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _test;
    private int _shots;

    private BrowserSession(IBrowserContext context, IPage page, DripServer server, string test)
    {
        _context = context;
        Page = page;
        Server = server;
        _test = test;
    }

    public IPage Page { get; }

    public DripServer Server { get; }

    internal static async Task<BrowserSession> OpenAsync(IBrowser browser, DripServer server, string test)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = server.BaseUrl.ToString(),
            Locale = "en-US",
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, server, test);
    }

    /// <summary>Opens a page of the host by path and saves its picture.</summary>
    public async Task<IResponse> GoToAsync(string path, string step)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"no response for {path}");
        await ShotAsync(step);
        return response;
    }

    /// <summary>Saves the whole current page as TestResults/screenshots/&lt;test&gt;-&lt;nn&gt;-&lt;step&gt;.png.</summary>
    public async Task ShotAsync(string step)
    {
        Directory.CreateDirectory(Repository.ScreenshotsFolder);
        var file = Path.Combine(Repository.ScreenshotsFolder, $"{_test}-{++_shots:00}-{step}.png");
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
    }

    /// <summary>Signs in through the form the way a marketer does and waits for the dashboard.</summary>
    public async Task SignInAsync()
    {
        await GoToAsync("/admin/sign-in", "sign-in");
        await Page.GetByLabel("Email").FillAsync(DripServer.AdminEmail);
        await Page.GetByLabel("Password").FillAsync(DripServer.AdminPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Level = 1 })).ToBeVisibleAsync();
        await ShotAsync("dashboard");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ShotAsync("end");
        }
        catch (PlaywrightException)
        {
            // The page is gone (the test failed while it was loading); the test's own error says why.
        }
        await _context.DisposeAsync();
        await Server.DisposeAsync();
    }
}
