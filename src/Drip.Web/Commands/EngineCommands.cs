using Drip.Accounts;
using Drip.Cadence;
using Drip.Campaigns;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Events;
using Drip.Outbox;
using Drip.Subscribers;
using Drip.Web.Admin;

namespace Drip.Web.Commands;

/// <summary>Carries out commands in this process, against the store it owns.</summary>
internal sealed class EngineCommands(
    SubscriberImporter importer, EventRecorder events, CampaignEnqueuer campaigns, ISubscriberStore subscribers,
    IOutboxStore outbox, ILetterTransport transport, SmtpOptions smtp, PlanView plan, Eraser eraser, Purger purger,
    EngagementJudge judge, AdminAccounts admins, ApiKeys apiKeys, TimeProvider clock) : IDripCommands
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

    public Task<ForgetResult> ForgetAsync(string email, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(new ForgetResult(email, eraser.Forget(email)));
        }
        catch (ArgumentException e)
        {
            throw new CommandException(e.Message);
        }
    }

    public Task<PurgeResult> PurgeAsync(bool dryRun, CancellationToken cancellationToken)
    {
        var report = purger.Run(dryRun);
        return Task.FromResult(new PurgeResult(report.DryRun, report.Reengaged, report.Purged, report.Decisions, report.ReportFile));
    }

    public Task<EngagementResult> EngagementAsync(string? email, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (email is not null)
        {
            var s = subscribers.FindByEmail(email) ?? throw new CommandException($"no subscriber {email}", notFound: true);
            var since = s.Engagement.LastEngagedAt ?? s.ConfirmedAt ?? s.ConsentAt ?? s.CreatedAt;
            var letters = outbox.ForSubscriber(s.Id).Count(e => e.State == OutboxState.Sent && (e.SentAt ?? e.DueAt) > since);
            var e = s.Engagement;
            return Task.FromResult(new EngagementResult(0, 0, 0, new SubscriberEngagement(s.Email, s.Status.ToString().ToLowerInvariant(), judge.LevelOf(s, now),
                e.LastOpenAt, e.LastClickAt, e.Opens, e.MachineOpens, e.Clicks, letters, e.ReengagementSentAt)));
        }
        int active = 0, passive = 0, fans = 0;
        foreach (var s in subscribers.Stream(SubscriberFilter.Mailable))
        {
            switch (judge.LevelOf(s, now))
            {
                case EngagementLevel.Fan: fans++; break;
                case EngagementLevel.Active: active++; break;
                default: passive++; break;
            }
        }
        return Task.FromResult(new EngagementResult(active, passive, fans, null));
    }

    public Task<AdminResult> AddAdminAsync(string email, string password, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(new AdminResult(admins.Create(email, password).Email));
        }
        catch (AdminAccountException e)
        {
            throw new CommandException(e.Message);
        }
    }

    public Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var (record, key) = apiKeys.Create(name);
            return Task.FromResult(new CreatedApiKey(record.Id, record.Name, record.Prefix, record.CreatedAt, key));
        }
        catch (ArgumentException e)
        {
            throw new CommandException(e.Message);
        }
    }

    public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiKeyInfo>>(apiKeys.List().Select(ApiKeyInfo.From).ToList());

    public Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken) =>
        apiKeys.Revoke(id) ? Task.CompletedTask : throw new CommandException($"no API key {id}", notFound: true);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
