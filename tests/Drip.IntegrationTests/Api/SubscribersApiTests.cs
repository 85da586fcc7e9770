using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Drip.History;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>The subscribers REST API through the real host: validation, conflicts, 404s, keyset pages, timeline, erasure.</summary>
public sealed class SubscribersApiTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task Create_then_get_and_a_duplicate_email_is_a_conflict()
    {
        await using var app = App();
        var api = app.CreateApiClient();

        var created = await api.PostAsJsonAsync("/api/subscribers", new
        {
            email = _data.Email("Ada"), firstName = "Ada", lastName = "Lovelace", timeZone = "Europe/London", locale = "en-GB",
            fields = new Dictionary<string, string> { ["city"] = "London", ["birthday"] = "10.12.1815" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ada = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = ada.GetProperty("id").GetGuid();
        Assert.Equal($"/api/subscribers/{id}", created.Headers.Location!.OriginalString);

        var fetched = await api.GetFromJsonAsync<JsonElement>($"/api/subscribers/{id}");
        Assert.Equal("Lovelace", fetched.GetProperty("lastName").GetString());
        Assert.Equal("active", fetched.GetProperty("status").GetString());
        Assert.Equal("1815-12-10", fetched.GetProperty("fields").GetProperty("birthday").GetString());

        var again = await api.PostAsJsonAsync("/api/subscribers", new { email = _data.Email("ada") });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invalid_fields_are_a_problem_document_naming_each_field()
    {
        await using var app = App();
        var api = app.CreateApiClient();

        var response = await api.PostAsJsonAsync("/api/subscribers", new
        {
            email = "not-an-address", timeZone = "Russian Standard Time", locale = "xx-NOWHERE", fields = new Dictionary<string, string> { ["bad key"] = "x" },
        });
        var search = await api.GetAsync("/api/subscribers?status=sleeping&limit=500&after=garbage&field=nofield");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "email", "timeZone", "locale", "fields" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"an error for {field}");
        }
        Assert.Equal(HttpStatusCode.BadRequest, search.StatusCode);
        Assert.Equal("application/problem+json", search.Content.Headers.ContentType?.MediaType);
        var searchErrors = (await search.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "status", "limit", "after", "field" })
        {
            Assert.True(searchErrors.TryGetProperty(field, out _), $"an error for {field}");
        }
        Assert.Equal(0, app.Get<ISubscriberStore>().Count());
    }

    [Fact]
    public async Task An_unknown_id_is_a_404_problem_on_every_route()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var id = Guid.NewGuid();

        HttpResponseMessage[] responses =
        [
            await api.GetAsync($"/api/subscribers/{id}"),
            await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { firstName = "X" }),
            await api.DeleteAsync($"/api/subscribers/{id}"),
            await api.GetAsync($"/api/subscribers/{id}/timeline"),
        ];

        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Every_subscriber_route_refuses_a_request_without_an_api_key()
    {
        await using var app = App();
        var anonymous = app.CreateClient();
        var id = Guid.NewGuid();

        HttpResponseMessage[] responses =
        [
            await anonymous.GetAsync("/api/subscribers"),
            await anonymous.PostAsJsonAsync("/api/subscribers", new { email = _data.Email("x") }),
            await anonymous.GetAsync($"/api/subscribers/{id}"),
            await anonymous.PatchAsJsonAsync($"/api/subscribers/{id}", new { firstName = "X" }),
            await anonymous.DeleteAsync($"/api/subscribers/{id}"),
            await anonymous.GetAsync($"/api/subscribers/{id}/timeline"),
            await anonymous.PostAsync("/api/subscribers/import", new StringContent("email\nx@example.org\n", Encoding.UTF8, "text/csv")),
            await anonymous.PostAsJsonAsync("/api/subscribers/forget", new { email = _data.Email("x") }),
        ];

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(0, app.Get<ISubscriberStore>().Count());
    }

    [Fact]
    public async Task Following_next_links_visits_each_of_1050_subscribers_once_and_filters_hold_across_pages()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var csv = new StringBuilder("email,first_name,city,status\n");
        for (var i = 0; i < 1050; i++)
        {
            csv.Append($"p{i:D4}@{_data.Domain},Reader{i},{(i % 3 == 0 ? "Kazan" : "Omsk")},{(i % 10 == 0 ? "unsubscribed" : "active")}\n");
        }
        var imported = await api.PostAsync("/api/subscribers/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);

        async Task<List<string>> All(string first)
        {
            var emails = new List<string>();
            string? next = first;
            var pages = 0;
            while (next is not null && pages++ < 100)
            {
                var page = await api.GetFromJsonAsync<JsonElement>(next);
                emails.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("email").GetString()!));
                next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            }
            return emails;
        }

        var everyone = await All("/api/subscribers?limit=100");
        var kazanActive = await All("/api/subscribers?limit=100&status=active&field=city:kazan");

        Assert.Equal(1050, everyone.Count);
        Assert.Equal(1050, everyone.Distinct().Count());
        var expected = Enumerable.Range(0, 1050).Where(i => i % 3 == 0 && i % 10 != 0).Select(i => $"p{i:D4}@{_data.Domain}").Order();
        Assert.Equal(expected, kazanActive.Order());
    }

    [Fact]
    public async Task Patch_changes_the_profile_unsubscribes_and_refuses_to_bring_back_a_bounce()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var created = await (await api.PostAsJsonAsync("/api/subscribers", new { email = _data.Email("olga"), firstName = "Olga" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        var renamed = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { lastName = "Ivanova", timeZone = "Europe/Moscow", fields = new { city = "Kazan" } });
        var badZone = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { timeZone = "Mars/Olympus" });
        var left = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { status = "unsubscribed" });
        var back = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { status = "active" });

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        Assert.Equal("unsubscribed", (await left.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("active", (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var stored = app.Get<ISubscriberStore>().Find(id)!;
        Assert.Equal("Ivanova", stored.LastName);
        Assert.Equal("Europe/Moscow", stored.TimeZone);
        Assert.Null(app.Get<ISuppressionStore>().Find(stored.Email));

        var unsubscriber = app.Get<Unsubscriber>();
        unsubscriber.Suppress(stored, SubscriberStatus.Bounced, SuppressionReason.HardBounce, "550 5.1.1");
        var refused = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { status = "active" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(SubscriberStatus.Bounced, app.Get<ISubscriberStore>().Find(id)!.Status);
    }

    [Fact]
    public async Task Patch_active_ends_a_pause_early_and_the_timeline_says_so()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var id = (await (await api.PostAsJsonAsync("/api/subscribers", new { email = _data.Email("resting") })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.True(app.Get<Pauses>().Pause(id, app.Clock.GetUtcNow().AddDays(30)));

        var back = await api.PatchAsJsonAsync($"/api/subscribers/{id}", new { status = "active" });

        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        var stored = app.Get<ISubscriberStore>().Find(id)!;
        Assert.Equal(SubscriberStatus.Active, stored.Status);
        Assert.Null(stored.PausedUntil);
        Assert.Contains(app.Get<IHistoryStore>().ForSubscriber(id), h => h.Kind == HistoryKind.Resumed && h.Detail.Contains("early", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_erases_the_record_and_keeps_the_address_suppressed()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var email = _data.Email("gone");
        var id = (await (await api.PostAsJsonAsync("/api/subscribers", new { email })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var deleted = await api.DeleteAsync($"/api/subscribers/{id}");
        var recreated = await api.PostAsJsonAsync("/api/subscribers", new { email });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(SuppressionReason.Erased, app.Get<ISuppressionStore>().Find(email)!.Reason);
        Assert.Equal("unsubscribed", (await recreated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_timeline_shows_the_event_the_sent_letter_and_what_is_planned()
    {
        await using var app = App();
        var api = app.CreateApiClient();
        var email = _data.Email("buyer");
        var id = (await (await api.PostAsJsonAsync("/api/subscribers", new { email, firstName = "Ivan" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await api.PostAsJsonAsync("/api/events", new { name = "sale", email, data = new { order = "A-17" } });
        await app.Get<Drip.Delivery.Dispatcher>().DispatchDueAsync(CancellationToken.None);

        var timeline = (await api.GetFromJsonAsync<JsonElement>($"/api/subscribers/{id}/timeline")).EnumerateArray()
            .Select(i => (Kind: i.GetProperty("kind").GetString(), Detail: i.GetProperty("detail").GetString())).ToList();

        Assert.Contains(timeline, i => i.Kind == "event" && i.Detail!.Contains("sale", StringComparison.Ordinal) && i.Detail.Contains("A-17", StringComparison.Ordinal));
        Assert.Contains(timeline, i => i.Kind == "letter-sent");
        Assert.Contains(timeline, i => i.Kind == "letter-planned");
        Assert.Contains(timeline, i => i.Kind == "subscribed");
    }

    public void Dispose() => _data.Dispose();
}
