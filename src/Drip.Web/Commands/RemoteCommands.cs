using System.Net;
using System.Net.Http.Headers;
using Drip.Campaigns;
using Drip.Events;
using Microsoft.AspNetCore.Mvc;

namespace Drip.Web.Commands;

/// <summary>Carries out commands by calling the API of the Drip host that owns the store.</summary>
internal sealed class RemoteCommands : IDripCommands
{
    private readonly HttpClient _http;

    public RemoteCommands(string baseUrl, string token)
    {
        _http = new HttpClient { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public async Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(csv);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var response = await _http.PostAsync($"api/subscribers/import?source={Uri.EscapeDataString(source)}", content, cancellationToken);
        return await ReadAsync<ImportResult>(response, cancellationToken);
    }

    public async Task<EventRecording> RecordEventAsync(EventRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/events", request, cancellationToken);
        return await ReadAsync<EventRecording>(response, cancellationToken);
    }

    public async Task<CampaignResult> StartCampaignAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/campaigns", request, cancellationToken);
        return await ReadAsync<CampaignResult>(response, cancellationToken);
    }

    public async Task<OutboxSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/outbox/summary", cancellationToken);
        return await ReadAsync<OutboxSummary>(response, cancellationToken);
    }

    public async Task<PlanResult> PlanAsync(int days, string? email, CancellationToken cancellationToken)
    {
        var query = $"api/plan?days={days}" + (email is null ? "" : $"&email={Uri.EscapeDataString(email)}");
        using var response = await _http.GetAsync(query, cancellationToken);
        return await ReadAsync<PlanResult>(response, cancellationToken);
    }

    public async Task<ForgetResult> ForgetAsync(string email, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/subscribers/forget", new ForgetRequest(email), cancellationToken);
        return await ReadAsync<ForgetResult>(response, cancellationToken);
    }

    public async Task<PurgeResult> PurgeAsync(bool dryRun, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"api/purge?dryRun={(dryRun ? "true" : "false")}", null, cancellationToken);
        return await ReadAsync<PurgeResult>(response, cancellationToken);
    }

    public async Task<EngagementResult> EngagementAsync(string? email, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/engagement" + (email is null ? "" : $"?email={Uri.EscapeDataString(email)}"), cancellationToken);
        return await ReadAsync<EngagementResult>(response, cancellationToken);
    }

    public async Task<AdminResult> AddAdminAsync(string email, string password, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/admins", new AdminRequest(email, password), cancellationToken);
        return await ReadAsync<AdminResult>(response, cancellationToken);
    }

    public async Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/keys", new ApiKeyRequest(name), cancellationToken);
        return await ReadAsync<CreatedApiKey>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/keys", cancellationToken);
        return await ReadAsync<List<ApiKeyInfo>>(response, cancellationToken);
    }

    public async Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _http.DeleteAsync($"api/keys/{Uri.EscapeDataString(id)}", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await ReadAsync<object>(response, cancellationToken);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
        }
        ProblemDetails? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a problem document; the status line says enough.
        }
        throw new CommandException(problem?.Detail ?? problem?.Title ?? $"the Drip host answered {(int)response.StatusCode} {response.ReasonPhrase}",
            response.StatusCode == HttpStatusCode.NotFound);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
