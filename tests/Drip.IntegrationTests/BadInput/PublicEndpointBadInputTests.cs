using System.Net;
using System.Text;
using System.Text.Json;
using Drip.Engagement;
using Drip.Feedback;
using Drip.History;
using Drip.Outbox;
using Drip.Security;
using Drip.Subscribers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.BadInput;

/// <summary>
/// The public endpoints (/u, /o, /c, /stay, /confirm, /subscribe) take only signed tokens and small forms: a tampered,
/// truncated or foreign-key token, a click to a URL not in the letter and an oversized body are each refused with 4xx,
/// change nothing in the store, and show no stack trace or exception name, on a host running as Production.
/// Replays: an unsubscribe repeated is idempotent (200, counted once); a confirmation link works once, and never
/// brings back someone who left after confirming.
/// </summary>
public sealed class PublicEndpointBadInputTests : IDisposable
{
    private readonly TestData _data = new();

    public void Dispose() => _data.Dispose();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow)) { EnvironmentName = "Production" };

    private static HttpClient Client(DripApplication app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    private Subscriber Add(DripApplication app, string local = "ada")
    {
        var now = app.Clock.GetUtcNow();
        var s = new Subscriber
        {
            Id = Guid.NewGuid(), Email = _data.Email(local), EmailKey = _data.Email(local), FirstName = "Ada", CreatedAt = now, UpdatedAt = now, ConsentAt = now,
        };
        app.Get<ISubscriberStore>().Save([s]);
        return s;
    }

    /// <summary>Everything a public endpoint could change: subscribers, their histories, outboxes, suppressions and letter counts.</summary>
    private static string Snapshot(DripApplication app)
    {
        var subscribers = app.Get<ISubscriberStore>().Stream(new SubscriberFilter(null, new Dictionary<string, string>())).ToList();
        return JsonSerializer.Serialize(new
        {
            subscribers,
            history = subscribers.ToDictionary(s => s.Id, s => app.Get<IHistoryStore>().ForSubscriber(s.Id).Select(h => $"{h.Kind} {h.Detail}")),
            outbox = subscribers.ToDictionary(s => s.Id, s => app.Get<IOutboxStore>().ForSubscriber(s.Id).Select(e => e.Id)),
            suppressed = subscribers.Select(s => app.Get<ISuppressionStore>().Find(s.Email)?.Reason),
            stats = app.Get<ILetterStatsStore>().All(),
        });
    }

    private static async Task AssertRefusedCleanly(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{what}: {(int)response.StatusCode}");
        Assert.Null(response.Headers.Location);
        foreach (var leak in new[] { "Exception", "   at ", "Drip.", "System.", "Microsoft.", ".cs:line" })
        {
            Assert.False(body.Contains(leak, StringComparison.Ordinal), $"{what}: the response shows '{leak}': {body[..Math.Min(body.Length, 400)]}");
        }
    }

    /// <summary>The ways a real token goes bad: one character flipped, cut short, or signed with a key this host does not hold.</summary>
    private static IEnumerable<(string Token, string How)> Spoiled(string token, TokenPurpose purpose, Guid subscriberId, string scope)
    {
        var middle = token.Length / 2;
        yield return (token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..], "one character flipped");
        yield return (token[..^1] + (token[^1] == 'A' ? 'B' : 'A'), "last character flipped");
        yield return (token[..(token.Length - 5)], "truncated");
        yield return (token[..token.IndexOf('.', StringComparison.Ordinal)], "only its key id");
        var foreignKeyId = token[..token.IndexOf('.', StringComparison.Ordinal)];
        var foreign = new TokenSigner(new Dictionary<string, byte[]> { [foreignKeyId] = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) }, foreignKeyId);
        yield return (foreign.Sign(purpose, subscriberId, scope), "signed with another key ring under the same key id");
    }

    [Fact]
    public async Task Spoiled_unsubscribe_open_click_and_stay_tokens_get_4xx_and_change_nothing()
    {
        await using var app = App();
        var ada = Add(app);
        var client = Client(app);
        var signer = app.Get<TokenSigner>();
        var tracker = app.Get<LinkTracker>();
        var target = "https://example.com/offer";
        var clickUrl = tracker.ClickUrl(ada.Id, "spring-news", target);
        var clickToken = clickUrl[(clickUrl.IndexOf("/c/", StringComparison.Ordinal) + 3)..clickUrl.IndexOf('?', StringComparison.Ordinal)];
        var before = Snapshot(app);

        var requests = new List<(Func<string, HttpRequestMessage> Make, TokenPurpose Purpose, string Scope, string Name)>
        {
            (t => new HttpRequestMessage(HttpMethod.Get, $"/u/{t}"), TokenPurpose.Unsubscribe, "spring-news", "GET /u"),
            (t => new HttpRequestMessage(HttpMethod.Post, $"/u/{t}") { Content = new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded") },
                TokenPurpose.Unsubscribe, "spring-news", "POST /u one-click"),
            (t => new HttpRequestMessage(HttpMethod.Get, $"/o/{t}"), TokenPurpose.Open, "spring-news", "GET /o"),
            (t => new HttpRequestMessage(HttpMethod.Get, $"/c/{t}?u={Uri.EscapeDataString(target)}"), TokenPurpose.Click, "", "GET /c"),
            (t => new HttpRequestMessage(HttpMethod.Get, $"/stay/{t}"), TokenPurpose.Stay, "", "GET /stay"),
            (t => new HttpRequestMessage(HttpMethod.Post, $"/stay/{t}"), TokenPurpose.Stay, "", "POST /stay"),
        };
        foreach (var (make, purpose, scope, name) in requests)
        {
            var good = purpose == TokenPurpose.Click ? clickToken : signer.Sign(purpose, ada.Id, scope);
            foreach (var (token, how) in Spoiled(good, purpose, ada.Id, scope))
            {
                await AssertRefusedCleanly(await client.SendAsync(make(token)), $"{name} with a token {how}");
            }
        }

        Assert.Equal(before, Snapshot(app));
    }

    [Fact]
    public async Task A_click_redirect_to_a_url_not_in_the_letter_is_400_without_a_redirect()
    {
        await using var app = App();
        var ada = Add(app);
        var client = Client(app);
        var url = app.Get<LinkTracker>().ClickUrl(ada.Id, "spring-news", "https://example.com/offer");
        var path = url[url.IndexOf("/c/", StringComparison.Ordinal)..url.IndexOf('?', StringComparison.Ordinal)];
        var before = Snapshot(app);

        foreach (var elsewhere in new[] { "https://evil.example/phish", "https://example.com/offer/../admin", "//evil.example", "javascript:alert(1)", "" })
        {
            var response = await client.GetAsync($"{path}?u={Uri.EscapeDataString(elsewhere)}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            await AssertRefusedCleanly(response, $"click to '{elsewhere}'");
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(path)).StatusCode); // no u at all
        Assert.Equal(before, Snapshot(app));

        var honest = await client.GetAsync($"{path}?u={Uri.EscapeDataString("https://example.com/offer")}");
        Assert.Equal(HttpStatusCode.Redirect, honest.StatusCode);
        Assert.Equal("https://example.com/offer", honest.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_replayed_unsubscribe_is_idempotent_and_counted_once()
    {
        await using var app = App();
        var ada = Add(app);
        var client = Client(app);
        var url = app.Get<Drip.Delivery.UnsubscribeLinks>().Url(ada.Id, "spring-news");
        var path = url[url.IndexOf("/u/", StringComparison.Ordinal)..];
        HttpRequestMessage OneClick() => new(HttpMethod.Post, path) { Content = new StringContent("List-Unsubscribe=One-Click", Encoding.ASCII, "application/x-www-form-urlencoded") };

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(OneClick())).StatusCode);
        var after = Snapshot(app);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(OneClick())).StatusCode);

        Assert.Equal(after, Snapshot(app));
        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().Find(ada.Id)!.Status);
        Assert.Equal(1, app.Get<ILetterStatsStore>().Find("spring-news")!.Unsubscribes);
    }

    [Fact]
    public async Task A_confirmation_link_works_once_and_replayed_after_an_unsubscribe_brings_nobody_back()
    {
        await using var app = App();
        var client = Client(app);
        var email = _data.Email("joiner");
        app.Get<OptIn>().SignUp(email, "Jo", "form", "203.0.113.9");
        var joiner = app.Get<ISubscriberStore>().FindByEmail(email)!;
        var confirmUrl = app.Get<IOutboxStore>().ForSubscriber(joiner.Id).Single().Data!["confirm_url"];
        var path = confirmUrl[confirmUrl.IndexOf("/confirm/", StringComparison.Ordinal)..];

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(path, null)).StatusCode);
        Assert.Equal(SubscriberStatus.Active, app.Get<ISubscriberStore>().Find(joiner.Id)!.Status);
        var confirmed = Snapshot(app);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(path, null)).StatusCode); // a second click while on the list: no harm
        Assert.Equal(confirmed, Snapshot(app));

        app.Get<Unsubscriber>().Unsubscribe(joiner.Id, "unsubscribe page", null);
        var left = Snapshot(app);
        var replay = await client.PostAsync(path, null);

        await AssertRefusedCleanly(replay, "confirmation replayed after an unsubscribe");
        Assert.Equal(left, Snapshot(app));
        Assert.Equal(SubscriberStatus.Unsubscribed, app.Get<ISubscriberStore>().Find(joiner.Id)!.Status);
    }

    [Fact]
    public async Task Spoiled_confirmation_tokens_get_4xx_and_confirm_nobody()
    {
        await using var app = App();
        var client = Client(app);
        var email = _data.Email("pending");
        app.Get<OptIn>().SignUp(email, "Pat", "form", null);
        var pending = app.Get<ISubscriberStore>().FindByEmail(email)!;
        var confirmUrl = app.Get<IOutboxStore>().ForSubscriber(pending.Id).Single().Data!["confirm_url"];
        var token = confirmUrl[(confirmUrl.LastIndexOf('/') + 1)..];
        var before = Snapshot(app);

        foreach (var (spoiled, how) in Spoiled(token, TokenPurpose.Confirm, pending.Id, pending.ConsentAt!.Value.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            await AssertRefusedCleanly(await client.PostAsync($"/confirm/{spoiled}", null), $"confirm with a token {how}");
        }

        Assert.Equal(before, Snapshot(app));
        Assert.Equal(SubscriberStatus.Pending, app.Get<ISubscriberStore>().Find(pending.Id)!.Status);
    }

    [Fact]
    public async Task Oversized_form_posts_get_413_or_400_and_change_nothing()
    {
        await using var app = App();
        var ada = Add(app);
        var client = Client(app);
        var url = app.Get<Drip.Delivery.UnsubscribeLinks>().Url(ada.Id, "spring-news");
        var unsubscribe = url[url.IndexOf("/u/", StringComparison.Ordinal)..];
        var huge = new string('a', 10 * 1024 * 1024);
        var before = Snapshot(app);

        foreach (var (path, form) in new[]
                 {
                     ("/subscribe", $"email={_data.Email("big")}&first_name={huge}"),
                     ("/subscribe", $"email={huge}@example.com"),
                     (unsubscribe, $"action=unsubscribe&reason={huge}"),
                     (unsubscribe, $"action=programs&{string.Join('&', Enumerable.Range(0, 20_000).Select(i => $"program=p{i}"))}&pad={huge}"),
                 })
        {
            var response = await client.PostAsync(path, new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.True(response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            await AssertRefusedCleanly(response, $"10 MB post to {path}");
        }

        Assert.Equal(before, Snapshot(app));
        Assert.Null(app.Get<ISubscriberStore>().FindByEmail(_data.Email("big")));
    }
}
