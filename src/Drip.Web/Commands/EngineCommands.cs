using Drip.Cadence;
using Drip.Campaigns;
using Drip.Delivery;
using Drip.Events;
using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.Web.Commands;

/// <summary>Carries out commands in this process, against the store it owns.</summary>
internal sealed class EngineCommands(
    SubscriberImporter importer, EventRecorder events, CampaignEnqueuer campaigns, ISubscriberStore subscribers,
    IOutboxStore outbox, ILetterTransport transport, SmtpOptions smtp, PlanView plan) : IDripCommands
{
    public Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken) =>
        Task.FromResult(ImportResult.From(importer.Import(csv, source)));

    public Task<EventRecording> RecordEventAsync(EventRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrWhiteSpace(request.Email))
        {
            throw new CommandException("an event needs a name and an email");
        }
        try
        {
            return Task.FromResult(events.Record(request.Name, request.Email, request.OccurredAt, request.Data));
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandException(e.Message, notFound: true);
        }
        catch (ArgumentException e)
        {
            throw new CommandException(e.Message);
        }
    }

    public Task<CampaignResult> StartCampaignAsync(CampaignRequest request, CancellationToken cancellationToken)
    {
        SubscriberFilter filter;
        try
        {
            filter = SubscriberFilter.Parse(request.To);
        }
        catch (FormatException e)
        {
            throw new CommandException($"--to: {e.Message}");
        }
        try
        {
            return Task.FromResult(campaigns.Enqueue(request.Letter, filter, request.At, request.Id));
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandException(e.Message, notFound: true);
        }
    }

    public Task<OutboxSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        var delivery = transport is PickupFolderTransport pickup ? $"pickup folder {pickup.Folder}" : $"SMTP {smtp.Host}:{smtp.Port}";
        var counts = outbox.CountByState().ToDictionary(kv => kv.Key.ToString().ToLowerInvariant(), kv => kv.Value);
        return Task.FromResult(new OutboxSummary(subscribers.Count(), counts, delivery));
    }

    public Task<PlanResult> PlanAsync(int days, string? email, CancellationToken cancellationToken)
    {
        if (days is < 1 or > 366)
        {
            throw new CommandException("--days must be between 1 and 366");
        }
        try
        {
            return Task.FromResult(email is null
                ? new PlanResult(plan.Summary(days), [])
                : new PlanResult([], plan.For(email, days)));
        }
        catch (KeyNotFoundException e)
        {
            throw new CommandException(e.Message, notFound: true);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
