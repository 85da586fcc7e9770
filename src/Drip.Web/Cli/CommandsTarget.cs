using Drip.Storage;
using Drip.Web.Commands;

namespace Drip.Web.Cli;

/// <summary>
/// Chooses where a CLI verb runs: in this process when the store is free, or through the API of the
/// <c>drip serve</c> that holds it (found through data/host.json). Never opens a store twice.
/// </summary>
internal static class CommandsTarget
{
    public static IDripCommands Open(IConfiguration configuration)
    {
        var services = new ServiceCollection()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
            .AddDrip(configuration)
            .AddSingleton<EngineCommands>()
            .AddSingleton<Admin.AdminAccounts>()
            .BuildServiceProvider();
        try
        {
            services.GetRequiredService<DripDatabase>();
            return new LocalCommands(services);
        }
        catch (StoreLockedException)
        {
            var data = services.GetRequiredService<StoreOptions>().DataPath;
            services.Dispose();
            if (HostFile.Read(data) is { } host)
            {
                return new RemoteCommands(host.Url, host.Token);
            }
            throw;
        }
    }

    /// <summary>Engine commands plus the service provider that owns the store, disposed together.</summary>
    private sealed class LocalCommands(ServiceProvider services) : IDripCommands
    {
        private readonly EngineCommands _engine = services.GetRequiredService<EngineCommands>();

        public Task<ImportResult> ImportAsync(Stream csv, string source, CancellationToken cancellationToken) => _engine.ImportAsync(csv, source, cancellationToken);

        public Task<Drip.Events.EventRecording> RecordEventAsync(EventRequest request, CancellationToken cancellationToken) => _engine.RecordEventAsync(request, cancellationToken);

        public Task<Drip.Campaigns.CampaignResult> StartCampaignAsync(CampaignRequest request, CancellationToken cancellationToken) => _engine.StartCampaignAsync(request, cancellationToken);

        public Task<OutboxSummary> SummaryAsync(CancellationToken cancellationToken) => _engine.SummaryAsync(cancellationToken);

        public Task<PlanResult> PlanAsync(int days, string? email, CancellationToken cancellationToken) => _engine.PlanAsync(days, email, cancellationToken);

        public Task<ForgetResult> ForgetAsync(string email, CancellationToken cancellationToken) => _engine.ForgetAsync(email, cancellationToken);

        public Task<PurgeResult> PurgeAsync(bool dryRun, CancellationToken cancellationToken) => _engine.PurgeAsync(dryRun, cancellationToken);

        public Task<EngagementResult> EngagementAsync(string? email, CancellationToken cancellationToken) => _engine.EngagementAsync(email, cancellationToken);

        public Task<AdminResult> AddAdminAsync(string email, string password, CancellationToken cancellationToken) => _engine.AddAdminAsync(email, password, cancellationToken);

        public Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken) => _engine.CreateApiKeyAsync(name, cancellationToken);

        public Task<IReadOnlyList<ApiKeyInfo>> ListApiKeysAsync(CancellationToken cancellationToken) => _engine.ListApiKeysAsync(cancellationToken);

        public Task RevokeApiKeyAsync(string id, CancellationToken cancellationToken) => _engine.RevokeApiKeyAsync(id, cancellationToken);

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }
}
