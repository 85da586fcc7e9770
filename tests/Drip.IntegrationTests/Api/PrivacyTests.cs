using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Feedback;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>No endpoint shows or changes one subscriber's data on the strength of another's: previews, public tokens.</summary>
public sealed class PrivacyTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    private (Subscriber A, Subscriber B) TwoSubscribers(DripApplication app)
    {
        var now = app.Clock.GetUtcNow();
        Subscriber Make(string local, string name) => new()
        {
            Id = Guid.NewGuid(), Email = _data.Email(local), EmailKey = _data.Email(local), FirstName = name, CreatedAt = now, UpdatedAt = now, ConsentAt = now,
        };
        var (a, b) = (Make("ada", "Ada"), Make("grace", "Grace"));
        app.Get<ISubscriberStore>().Save([a, b]);
        return (a, b);
    }

    /// <summary>The same token with another subscriber's id in its payload and the original signature.</summary>
    private static string Swapped(string token, Guid other)
    {
        var parts = token.Split('.');
        var payload = Base64Url.DecodeFromChars(parts[1]);
        other.TryWriteBytes(payload.AsSpan(1, 16));
        return $"{parts[0]}.{Base64Url.EncodeToString(payload)}.{parts[2]}";
    }

    [Fact]
    public async Task A_preview_for_one_subscriber_shows_their_name_and_nobody_elses()
    {
        await using var app = App();
        var (a, b) = TwoSubscribers(app);
        var client = app.CreateApiClient();

        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/letters/thank-you/preview?subscriber={a.Id}");
        var byEmail = await client.GetFromJsonAsync<JsonElement>($"/api/letters/thank-you/preview?email={Uri.EscapeDataString(b.Email)}");

        Assert.Equal("Ada, thank you for choosing us", byId.GetProperty("subject").GetString());
        Assert.Equal(a.Id, byId.GetProperty("subscriberId").GetGuid());
        foreach (var part in new[] { "subject", "html", "text" })
        {
            Assert.DoesNotContain("Grace", byId.GetProperty(part).GetString()!);
            Assert.Contains("Grace", byEmail.GetProperty(part).GetString()!);
            Assert.DoesNotContain("Ada", byEmail.GetProperty(part).GetString()!);
        }
        Assert.Contains("Ada", byId.GetProperty("html").GetString()!);
    }

    [Fact]
    public async Task A_preview_carries_no_live_unsubscribe_link_and_no_tracking()
    {
        await using var app = App();
        var (a, _) = TwoSubscribers(app);

        var preview = await app.CreateApiClient().GetFromJsonAsync<JsonElement>($"/api/letters/thank-you/preview?subscriber={a.Id}");

        var html = preview.GetProperty("html").GetString()!;
        Assert.Contains("http://localhost/u/preview", html);
        Assert.DoesNotContain("/o/", html);
        Assert.DoesNotContain("/c/", html);
        var page = await app.CreateClient().PostAsync("/u/preview", null);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().Find(a.Id)!.Status);
    }

    [Fact]
    public async Task A_preview_for_someone_who_is_not_there_is_404()
    {
        await using var app = App();
        var client = app.CreateApiClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/letters/thank-you/preview?subscriber={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/letters/thank-you/preview?email={Uri.EscapeDataString(_data.Email("nobody"))}")).StatusCode);
    }

    [Fact]
    public async Task An_unsubscribe_token_with_another_subscribers_id_is_refused_and_changes_nothing()
    {
        await using var app = App();
        var (a, b) = TwoSubscribers(app);
        var token = app.Get<UnsubscribeLinks>().Url(a.Id, "thank-you").Split("/u/")[1];
        var forged = Swapped(token, b.Id);
        var client = app.CreateClient();

        var shown = await client.GetAsync($"/u/{forged}");
        var oneClick = await client.PostAsync($"/u/{forged}", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var pause = await client.PostAsync($"/u/{forged}", new FormUrlEncodedContent([new("action", "pause")]));

        Assert.Equal(HttpStatusCode.BadRequest, shown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, oneClick.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, pause.StatusCode);
        Assert.DoesNotContain(b.Email, await shown.Content.ReadAsStringAsync());
        var grace = app.Get<ISubscriberStore>().Find(b.Id)!;
        Assert.Equal((SubscriberStatus.Active, null), (grace.Status, grace.UnsubscribedAt));
        Assert.Null(app.Get<ILetterStatsStore>().Find("thank-you"));

        // The genuine token still works for its own subscriber, so the refusal above was the swap's doing.
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/u/{token}", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode);
        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().Find(a.Id)!.Status);
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().Find(b.Id)!.Status);
    }

    [Fact]
    public async Task Tracking_tokens_with_another_subscribers_id_count_nothing_for_either()
    {
        await using var app = App();
        var (a, b) = TwoSubscribers(app);
        var tracker = app.Get<LinkTracker>();
        var click = new Uri(tracker.ClickUrl(a.Id, "thank-you", "https://example.com/linen"));
        var clickToken = click.AbsolutePath.Split("/c/")[1];
        var openToken = new Uri(tracker.OpenUrl(a.Id, "thank-you")).AbsolutePath.Split("/o/")[1];
        var client = app.CreateClient();

        var forgedClick = await client.GetAsync($"/c/{Swapped(clickToken, b.Id)}{click.Query}");
        var forgedOpen = await client.GetAsync($"/o/{Swapped(openToken, b.Id)}");

        Assert.Equal(HttpStatusCode.BadRequest, forgedClick.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, forgedOpen.StatusCode);
        foreach (var id in new[] { a.Id, b.Id })
        {
            var engagement = app.Get<ISubscriberStore>().Find(id)!.Engagement;
            Assert.Equal((0, 0), (engagement.Opens, engagement.Clicks));
        }
    }

    public void Dispose() => _data.Dispose();
}
