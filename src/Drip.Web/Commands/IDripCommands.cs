using Drip.Cadence;
using Drip.Campaigns;
using Drip.Engagement;
using Drip.Events;
using Drip.Subscribers;

namespace Drip.Web.Commands;

/// <summary>
/// What the command line and the API can ask of Drip. <see cref="EngineCommands"/> does it against the
/// store; <see cref="RemoteCommands"/> asks a running host to, so a CLI verb never opens a store that
/// <c>serve</c> holds. Failures surface as <see cref="CommandException"/> with a message for people.
/// </summary>
internal interface IDripCommands : IAsyncDisposable
{
    Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken);

    Task<EventRecording> RecordEventAsync(EventRequest request, CancellationToken cancellationToken);

    Task<CampaignResult> StartCampaignAsync(CampaignRequest request, CancellationToken cancellationToken);

    Task<OutboxSummary> SummaryAsync(CancellationToken cancellationToken);

    /// <summary>The next days as planned: for everyone, or for one person with the reasons. Writes nothing.</summary>
    Task<PlanResult> PlanAsync(int days, string? email, CancellationToken cancellationToken);

    /// <summary>Erases a person (right to erasure), keeping only the suppression hash of their address.</summary>
    Task<ForgetResult> ForgetAsync(string email, CancellationToken cancellationToken);

    /// <summary>Runs the list-cleaning purge now, or with <paramref name="dryRun"/> only says what it would do.</summary>
    Task<PurgeResult> PurgeAsync(bool dryRun, CancellationToken cancellationToken);

    /// <summary>The base's engagement structure, or one person's engagement.</summary>
    Task<EngagementResult> EngagementAsync(string? email, CancellationToken cancellationToken);

    /// <summary>Creates an admin account for the web app, or sets a new password for an existing one.</summary>
    Task<AdminResult> AddAdminAsync(string email, string password, CancellationToken cancellationToken);

    /// <summary>Makes an API key; the answer carries the key itself, the only time it is shown.</summary>
    Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every stored API key, revoked ones included, without the keys themselves.</summary>
    Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes an API key by its id; <see cref="CommandException.NotFound"/> when there is none.</summary>
    Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken);
}

internal sealed record ApiKeyRequest(string? Name);

/// <summary>An API key as listed: never the key, only its first characters.</summary>
internal sealed record ApiKeyInfo(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyInfo From(Drip.Accounts.ApiKey key) => new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}

/// <summary>A key just made: <see cref="Key"/> is shown this once and is not kept anywhere.</summary>
internal sealed record CreatedApiKey(string Id, string Name, string Prefix, DateTimeOffset CreatedAt, string Key);

internal sealed record AdminRequest(string Email, string Password);

internal sealed record AdminResult(string Email);

internal sealed record ForgetRequest(string Email);

internal sealed record ForgetResult(string Email, bool HadRecord);

internal sealed record PurgeResult(bool DryRun, int Reengaged, int Purged, IReadOnlyList<PurgeDecision> Decisions, string? ReportFile);

internal sealed record EngagementResult(int Active, int Passive, int Fans, SubscriberEngagement? Subscriber);

internal sealed record SubscriberEngagement(string Email, string Status, EngagementLevel Level, DateTimeOffset? LastOpen, DateTimeOffset? LastClick,
    int Opens, int MachineOpens, int Clicks, int LettersSinceEngaged, DateTimeOffset? ReengagementSentAt);

internal sealed record PlanResult(IReadOnlyList<PlanRow> Rows, IReadOnlyList<PlannedLetter> Letters);

internal sealed record ImportResult(int Created, int Updated, int KeptOff, IReadOnlyList<ImportError> Errors)
{
    public static ImportResult From(ImportReport report) => new(report.Created, report.Updated, report.KeptOff, report.Errors);
}

internal sealed record EventRequest(string Name, string Email, DateTimeOffset? OccurredAt = null, Dictionary<string, string>? Data = null);

internal sealed record CampaignRequest(string Letter, string? To = null, DateTimeOffset? At = null, string? Id = null);

internal sealed record OutboxSummary(int Subscribers, IReadOnlyDictionary<string, int> Sends, string Delivery);

/// <summary>A request Drip refused, with the reason; <see cref="NotFound"/> distinguishes "no such thing" from "bad request".</summary>
internal sealed class CommandException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
