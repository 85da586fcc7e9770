using Drip.Cadence;
using Drip.Campaigns;
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
}

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
