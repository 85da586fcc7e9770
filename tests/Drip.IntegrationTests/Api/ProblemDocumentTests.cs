using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Api;

/// <summary>What goes wrong in the API comes back as <c>application/problem+json</c> that says what was wrong, never an exception page.</summary>
public sealed class ProblemDocumentTests : IDisposable
{
    private readonly TestData _data = new();

    private DripApplication App() => new(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    [Theory]
    [InlineData("/api/events", "{\"name\": \"sale\", \"email\": ")]
    [InlineData("/api/events", "not json at all")]
    [InlineData("/api/keys", "{\"name\": [1, 2]}")]
    [InlineData("/api/campaigns", "{\"letter\": \"thank-you\", \"at\": \"next tuesday\"}")]
    public async Task A_body_that_does_not_read_as_the_expected_json_is_a_400_problem_that_says_why(string path, string body)
    {
        await using var app = App();

        var response = await app.CreateApiClient().PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("JSON", detail);
        Assert.Contains("Path: $", detail); // where in the body the reader stopped
        Assert.DoesNotContain("   at ", detail); // no stack trace
    }

    [Fact]
    public async Task A_missing_field_is_a_validation_problem_naming_the_field()
    {
        await using var app = App();
        var client = app.CreateApiClient();

        var noName = await ProblemAsync(await client.PostAsJsonAsync("/api/keys", new { name = " " }), HttpStatusCode.BadRequest);
        var noSubscriber = await ProblemAsync(await client.GetAsync("/api/letters/thank-you/preview"), HttpStatusCode.BadRequest);

        Assert.True(noName.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(noSubscriber.GetProperty("errors").TryGetProperty("email", out _));
        Assert.True(noSubscriber.GetProperty("errors").TryGetProperty("subscriber", out _));
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_a_400_problem()
    {
        await using var app = App();

        var response = await app.CreateApiClient().GetAsync("/api/letters/thank-you/preview?subscriber=not-a-guid");

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("subscriber", problem.GetProperty("detail").GetString()!);
    }

    [Theory]
    [InlineData("GET", "/api/no-such-thing", HttpStatusCode.NotFound)]
    [InlineData("GET", "/api/letters/no-such-letter", HttpStatusCode.NotFound)]
    [InlineData("PUT", "/api/stats", HttpStatusCode.MethodNotAllowed)]
    public async Task Unknown_routes_and_methods_are_problems_even_for_a_client_that_asks_for_html(string method, string path, HttpStatusCode status)
    {
        await using var app = App();
        var client = app.CreateApiClient();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        var problem = await ProblemAsync(await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), status);

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_request_without_a_key_is_a_401_problem_that_says_how_to_send_one()
    {
        await using var app = App();

        var problem = await ProblemAsync(await app.CreateClient().GetAsync("/api/stats"), HttpStatusCode.Unauthorized);

        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString()!);
    }

    public void Dispose() => _data.Dispose();
}
