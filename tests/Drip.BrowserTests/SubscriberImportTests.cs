using System.Text;
using System.Text.RegularExpressions;
using Drip.Subscribers;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Drip.BrowserTests;

/// <summary>The marketer uploads a CSV file, watches the import finish, and finds the people in the list.</summary>
public sealed class SubscriberImportTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task An_uploaded_csv_is_imported_and_its_rows_appear_in_the_subscriber_list()
    {
        await using var session = await chromium.OpenAsync();
        var page = session.Page;
        await session.SignInAsync();
        string[] emails = ["ada@example.org", "grace@example.org", "linus@example.org"];
        var csv = "email,first_name\n" + string.Concat(emails.Select(e => $"{e},{e[..e.IndexOf('@')]}\n"));

        var form = await session.GoToAsync("/admin/subscribers/import", "import-form");
        Assert.Equal(200, form.Status);
        var file = page.Locator("input[type=file][name=file]");
        await file.SetInputFilesAsync(new FilePayload { Name = "subscribers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await session.ShotAsync("file-chosen");
        var upload = page.Locator("form").Filter(new() { Has = file });
        await upload.Locator("button:not([type]), [type=submit]").First.ClickAsync();

        // The progress page may refresh itself or be updated by script; either way it ends by saying so.
        await Expect(page.GetByText(new Regex(@"\b(done|finished|complete|completed)\b", RegexOptions.IgnoreCase)).First)
            .ToBeVisibleAsync(new() { Timeout = 30_000 });
        await session.ShotAsync("import-done");
        var store = session.Server.Get<ISubscriberStore>();
        Assert.All(emails, e => Assert.NotNull(store.FindByEmail(e)));

        await session.GoToAsync("/admin/subscribers", "subscriber-list");
        foreach (var email in emails)
        {
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = email })).ToHaveCountAsync(1);
        }
    }
}
