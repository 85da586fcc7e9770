using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>The letter editor previews what the chosen subscriber would get while the marketer types, without saving.</summary>
public sealed class LetterEditorTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Typed = "A sentence typed in the browser.";

    [Fact]
    public async Task Typing_in_the_body_updates_the_preview_for_the_chosen_subscriber_and_saves_nothing()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;
        // The page's policy (script-src 'self', frame-ancestors 'none') is inherited by the srcdoc preview: nothing may be blocked.
        var refusals = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                refusals.Add(message.Text);
            }
        };
        await session.Server.ImportAsync("email,first_name\nada@example.org,Ada\n");
        var letterFile = Path.Combine(session.Server.TemplatesPath, "letters", "spring-news.md");
        var saved = await File.ReadAllTextAsync(letterFile);
        await session.SignInAsync();

        var editor = await session.GoToAsync("/admin/letters/spring-news/edit", "editor");
        Assert.Equal(200, editor.Status);
        // The chooser is a text field with the first subscribers offered in a datalist.
        var chooser = page.Locator("input[name=subscriber]");
        Assert.Contains("ada@example.org", await page.Locator("datalist option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await chooser.FillAsync("ada@example.org");

        var body = page.Locator("textarea[name=body]");
        await body.FocusAsync();
        await page.Keyboard.PressAsync("Control+End");
        await body.PressSequentiallyAsync("\n\n" + Typed);

        var preview = await PreviewTextAsync(page);
        await Expect(preview).ToContainTextAsync(Typed);
        await Expect(preview).ToContainTextAsync("Ada"); // the greeting, rendered for the chosen subscriber
        await Expect(page.Locator("#preview-subject")).ToContainTextAsync("Ada, what is new this spring");
        await session.ShotAsync("preview-updated");
        Assert.Empty(refusals);

        Assert.EndsWith("/admin/letters/spring-news/edit", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(saved, await File.ReadAllTextAsync(letterFile));
        await session.GoToAsync("/admin/letters/spring-news/edit", "editor-opened-again");
        await Expect(page.Locator("textarea[name=body]")).Not.ToHaveValueAsync(new Regex(Regex.Escape(Typed)));
    }

    /// <summary>The preview is either a frame holding the letter's HTML or an element holding it directly.</summary>
    private static async Task<ILocator> PreviewTextAsync(IPage page)
    {
        var isFrame = await page.Locator("#preview-html").EvaluateAsync<bool>("e => e.tagName === 'IFRAME'");
        return isFrame ? page.FrameLocator("#preview-html").Locator("body") : page.Locator("#preview-html");
    }
}
