using Drip.IntegrationTests.Admin;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.BadInput;

/// <summary>Subscriber data with markup shows as text on the admin pages that list and profile subscribers.</summary>
public sealed class AdminEscapingTests : IDisposable
{
    private readonly TestData _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_script_in_a_name_or_field_is_shown_as_text_on_the_list_and_the_profile()
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var now = app.Clock.GetUtcNow();
        var evil = new Subscriber
        {
            Id = Guid.NewGuid(), Email = _data.Email("evil"), EmailKey = _data.Email("evil"), FirstName = "<script>alert('first')</script>",
            LastName = "\"><img src=x onerror=alert(2)>", CreatedAt = now, UpdatedAt = now, ConsentAt = now,
            Fields = new(StringComparer.OrdinalIgnoreCase) { ["company"] = "<script>alert('field')</script>" },
        };
        app.Get<ISubscriberStore>().Save([evil]);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        foreach (var page in new[] { "/admin/subscribers", $"/admin/subscribers/{evil.Id}" })
        {
            var html = await browser.GetPageAsync(page);
            Assert.Contains("&lt;script&gt;alert(", html);
            Assert.DoesNotContain("<script>alert(", html);
            Assert.DoesNotContain("<img src=x", html);
        }
    }
}
