using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Drip.IntegrationTests.Admin;
using Drip.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>API keys made through the API and the admin page: they work, are kept only as hashes, are shown once, and stop at revocation.</summary>
public sealed class ApiKeyTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    private static HttpClient WithKey(DripApplication app, string key)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/keys", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_key_made_through_the_api_opens_it_and_is_never_shown_again()
    {
        await using var app = App();
        var created = await CreateAsync(app.CreateApiClient(), "crm sync");
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("drip_", key);

        var client = WithKey(app, key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/letters")).StatusCode);
        var viaHeader = app.CreateClient();
        viaHeader.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await viaHeader.GetAsync("/api/stats")).StatusCode);

        var list = await client.GetStringAsync("/api/keys");
        var one = await client.GetStringAsync($"/api/keys/{id}");
        Assert.DoesNotContain(key[9..], list);
        Assert.DoesNotContain(key[9..], one);
        Assert.Contains(key[..9], one); // the prefix, to recognise it by
        Assert.Contains("crm sync", list);
    }

    [Fact]
    public async Task A_key_is_stored_only_as_its_hash()
    {
        string key;
        await using (var app = App())
        {
            key = (await CreateAsync(app.CreateApiClient(), "shop")).GetProperty("key").GetString()!;
            var documents = app.Get<DripDatabase>().Database.GetCollection("api_keys").FindAll().Select(d => LiteDB.JsonSerializer.Serialize(d)).ToList();
            var stored = Assert.Single(documents);
            Assert.DoesNotContain(key[5..], stored);
            Assert.Contains(Drip.Accounts.ApiKeys.HashOf(key), stored);
        }
        // Nor anywhere in the data folder once the host has written everything out (database, log, anything else).
        var secret = Encoding.UTF8.GetBytes(key[5..]);
        foreach (var file in Directory.EnumerateFiles(_data.DataPath, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".lock", StringComparison.Ordinal))
            {
                continue; // an empty file whose only job is to be held open; a host still letting go of it refuses reads
            }
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(secret) < 0, $"{file} holds the key");
        }
    }

    [Fact]
    public async Task A_revoked_key_gets_401_and_other_keys_keep_working()
    {
        await using var app = App();
        var admin = app.CreateApiClient();
        var doomed = await CreateAsync(admin, "old integration");
        var kept = await CreateAsync(admin, "new integration");
        var doomedClient = WithKey(app, doomed.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await doomedClient.GetAsync("/api/stats")).StatusCode);

        var revoked = await admin.DeleteAsync($"/api/keys/{doomed.GetProperty("id").GetString()}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        var refused = await doomedClient.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(app, kept.GetProperty("key").GetString()!).GetAsync("/api/stats")).StatusCode);
        var listed = await admin.GetFromJsonAsync<JsonElement>($"/api/keys/{doomed.GetProperty("id").GetString()}");
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/keys/no-such-key")).StatusCode);
    }

    [Fact]
    public async Task Last_use_is_recorded_at_most_once_a_minute()
    {
        await using var app = App();
        var created = await CreateAsync(app.CreateApiClient(), "shop");
        var client = WithKey(app, created.GetProperty("key").GetString()!);
        var id = created.GetProperty("id").GetString()!;
        var first = app.Clock.GetUtcNow();

        await client.GetAsync("/api/stats");
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await client.GetAsync("/api/stats");
        var afterHalfAMinute = (await client.GetFromJsonAsync<JsonElement>($"/api/keys/{id}")).GetProperty("lastUsedAt").GetDateTimeOffset();
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await client.GetAsync("/api/stats");
        var afterAMinute = (await client.GetFromJsonAsync<JsonElement>($"/api/keys/{id}")).GetProperty("lastUsedAt").GetDateTimeOffset();

        Assert.Equal(first.ToUnixTimeMilliseconds(), afterHalfAMinute.ToUnixTimeMilliseconds());
        Assert.Equal(first.AddSeconds(61).ToUnixTimeMilliseconds(), afterAMinute.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task The_admin_page_shows_a_new_key_once_and_revokes_it()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var made = await browser.SubmitAsync("/admin/api-keys", "/admin/api-keys", [new("name", "newsletter <b>widget</b>")]);

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        Assert.True(made.Headers.CacheControl?.NoStore);
        var page = await made.Content.ReadAsStringAsync();
        var key = System.Text.RegularExpressions.Regex.Match(page, """<code id="new-key">(drip_[A-Za-z0-9_-]{43})</code>""").Groups[1].Value;
        Assert.NotEmpty(key);
        Assert.Contains("newsletter &lt;b&gt;widget&lt;/b&gt;", page);
        Assert.Equal(HttpStatusCode.OK, (await WithKey(app, key).GetAsync("/api/stats")).StatusCode);
        var again = await browser.GetPageAsync("/admin/api-keys");
        Assert.DoesNotContain(key[9..], again);
        Assert.Contains(key[..9], again);

        var id = Assert.Single(app.Get<Drip.Accounts.ApiKeys>().List()).Id;
        var revoked = await browser.SubmitAsync("/admin/api-keys", $"/admin/api-keys/{id}/revoke", []);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithKey(app, key).GetAsync("/api/stats")).StatusCode);
    }

    [Fact]
    public async Task Admin_forms_without_the_anti_forgery_field_change_nothing()
    {
        await using var app = App();
        var created = await CreateAsync(app.CreateApiClient(), "shop");
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        await browser.GetPageAsync("/admin/api-keys");

        var make = await browser.Http.PostAsync("/admin/api-keys", new FormUrlEncodedContent([new("name", "forged")]));
        var revoke = await browser.Http.PostAsync($"/admin/api-keys/{created.GetProperty("id").GetString()}/revoke", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, make.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        var key = Assert.Single(app.Get<Drip.Accounts.ApiKeys>().List());
        Assert.Null(key.RevokedAt);
    }

    [Fact]
    public async Task The_configured_key_and_the_local_admin_token_still_open_the_api()
    {
        await using var app = App();
        Assert.Equal(HttpStatusCode.OK, (await app.CreateApiClient().GetAsync("/api/stats")).StatusCode);
        var token = app.Get<Drip.Web.Auth.LocalAdminToken>().Value;
        Assert.Equal(HttpStatusCode.OK, (await WithKey(app, token).GetAsync("/api/stats")).StatusCode);
    }

    public void Dispose() => _data.Dispose();
}
