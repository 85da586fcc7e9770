using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Drip.Feedback;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>The letters, their previews, the numbers, and the OpenAPI document, read through the real pipeline.</summary>
public sealed class LettersAndStatsApiTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    [Fact]
    public async Task The_letters_are_listed_with_kind_subject_as_written_and_path()
    {
        await using var app = App();
        var client = app.CreateApiClient();

        var letters = await client.GetFromJsonAsync<JsonElement[]>("/api/letters");
        var one = await client.GetFromJsonAsync<JsonElement>("/api/letters/thank-you");

        var thanks = Assert.Single(letters!, l => l.GetProperty("id").GetString() == "thank-you");
        Assert.Equal("personal", thanks.GetProperty("kind").GetString());
        Assert.StartsWith("{{ name_or 'Thank you' }}", thanks.GetProperty("subject").GetString());
        Assert.Equal(Path.Combine("templates", "letters", "thank-you.md"), thanks.GetProperty("path").GetString());
        Assert.Equal(0, thanks.GetProperty("problems").GetArrayLength());
        Assert.Equal(Directory.GetFiles(Path.Combine(DripApplication.RepositoryRoot, "templates", "letters"), "*.md").Length, letters!.Length);
        Assert.Contains(one.GetProperty("sequences").EnumerateArray(), s => s.GetString() == "post-sale");
    }

    [Fact]
    public async Task A_letter_that_fails_for_one_subscriber_is_a_422_problem_with_file_line_and_column()
    {
        var templates = Path.Combine(_data.DataPath, "templates");
        CopyFolder(Path.Combine(DripApplication.RepositoryRoot, "templates"), templates);
        // Lint renders with sample subscribers and passes; only a subscriber with this field reaches the broken call.
        await File.WriteAllTextAsync(Path.Combine(templates, "letters", "vip-note.md"), """
            ---
            subject: A note for you
            kind: news
            ---
            {{ greeting }}

            {{ if subscriber.fields.tier == "vip" }}{{ no_such_function 1 }}{{ end }}
            """);
        await using var app = App();
        app.Settings["Templates:Path"] = templates;
        var now = app.Clock.GetUtcNow();
        var vip = new Subscriber { Id = Guid.NewGuid(), Email = _data.Email("vip"), EmailKey = _data.Email("vip"), CreatedAt = now, UpdatedAt = now, Fields = new(StringComparer.OrdinalIgnoreCase) { ["tier"] = "vip" } };
        app.Get<ISubscriberStore>().Save([vip]);

        var response = await app.CreateApiClient().GetAsync($"/api/letters/vip-note/preview?subscriber={vip.Id}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.StartsWith(Path.Combine("templates", "letters", "vip-note.md") + ":7:", detail);
    }

    [Fact]
    public async Task Stats_give_rates_per_letter_totals_per_program_and_the_base_by_status()
    {
        await using var app = App();
        var stats = app.Get<ILetterStatsStore>();
        stats.Add("news-new-linen-colours", LetterMetric.Sent, 200);
        stats.Add("news-new-linen-colours", LetterMetric.Opens, 50);
        stats.Add("news-new-linen-colours", LetterMetric.Clicks, 10);
        stats.Add("thank-you", LetterMetric.Sent, 4);
        var now = app.Clock.GetUtcNow();
        app.Get<ISubscriberStore>().Save([
            new Subscriber { Id = Guid.NewGuid(), Email = _data.Email("a"), EmailKey = _data.Email("a"), CreatedAt = now, UpdatedAt = now },
            new Subscriber { Id = Guid.NewGuid(), Email = _data.Email("b"), EmailKey = _data.Email("b"), CreatedAt = now, UpdatedAt = now, Status = SubscriberStatus.Unsubscribed },
        ]);

        var body = await app.CreateApiClient().GetFromJsonAsync<JsonElement>("/api/stats");

        var linen = Assert.Single(body.GetProperty("letters").EnumerateArray(), l => l.GetProperty("id").GetString() == "news-new-linen-colours").GetProperty("counts");
        Assert.Equal(200, linen.GetProperty("sent").GetInt32());
        Assert.Equal(0.25, linen.GetProperty("rates").GetProperty("open").GetDouble());
        Assert.Equal(0.05, linen.GetProperty("rates").GetProperty("click").GetDouble());
        var program = Assert.Single(body.GetProperty("programs").EnumerateArray(), p => p.GetProperty("counts").GetProperty("sent").GetInt32() > 0);
        Assert.Equal(200, program.GetProperty("counts").GetProperty("sent").GetInt32()); // the thank-you is a sequence letter, in no program
        Assert.Equal(1, body.GetProperty("subscribers").GetProperty("active").GetInt32());
        Assert.Equal(1, body.GetProperty("subscribers").GetProperty("unsubscribed").GetInt32());
        var engagement = body.GetProperty("engagement");
        Assert.Equal(1, engagement.GetProperty("active").GetInt32() + engagement.GetProperty("passive").GetInt32() + engagement.GetProperty("fans").GetInt32());
        Assert.Equal(0.17, engagement.GetProperty("typical").GetProperty("active").GetDouble());
    }

    [Fact]
    public async Task The_openapi_document_is_served_lists_the_api_and_the_key_scheme_and_nothing_else()
    {
        await using var app = App();

        var response = await app.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/letters", paths);
        Assert.Contains("/api/letters/{id}/preview", paths);
        Assert.Contains("/api/keys", paths);
        Assert.Contains("/api/stats", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p));
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var stats = root.GetProperty("paths").GetProperty("/api/stats").GetProperty("get");
        Assert.True(stats.GetProperty("security")[0].TryGetProperty("apiKey", out _));
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose() => _data.Dispose();
}
