using Drip.Reporting;
using Drip.Accounts;
using Drip.Authoring;
using Drip.Cadence;
using Drip.Changes;
using Drip.Campaigns;
using Drip.Delivery;
using Drip.Engagement;
using Drip.Events;
using Drip.Inbound;
using Drip.Feedback;
using Drip.History;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Rendering;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Drip;

/// <summary>Wires the engine: options bound and validated at start-up, the LiteDB store, templates, and the send path.</summary>
public static class DripServiceCollectionExtensions
{
    public static IServiceCollection AddDrip(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<StoreOptions>(configuration, StoreOptions.Section);
        services.AddValidatedOptions<TemplatesOptions>(configuration, TemplatesOptions.Section);
        services.AddValidatedOptions<SmtpOptions>(configuration, SmtpOptions.Section);
        services.AddValidatedOptions<DispatchOptions>(configuration, DispatchOptions.Section);
        services.AddValidatedOptions<SenderOptions>(configuration, SenderOptions.Section);
        services.AddValidatedOptions<DkimOptions>(configuration, DkimOptions.Section);
        // Alignment needs the Sender section as well, which a data-annotation check on DkimOptions cannot see.
        services.AddSingleton<IValidateOptions<DkimOptions>>(new DkimOptionsValidator(configuration));
        services.AddValidatedOptions<PublicOptions>(configuration, PublicOptions.Section);
        services.AddValidatedOptions<PlanningOptions>(configuration, PlanningOptions.Section);
        services.AddValidatedOptions<SigningOptions>(configuration, SigningOptions.Section);
        services.AddSingleton<IValidateOptions<SigningOptions>, SigningOptionsValidator>();
        services.AddValidatedOptions<FrequencyCaps>(configuration, FrequencyCaps.Section);
        services.AddValidatedOptions<BounceOptions>(configuration, BounceOptions.Section);
        services.AddValidatedOptions<OptInOptions>(configuration, OptInOptions.Section);
        services.AddValidatedOptions<TrackingOptions>(configuration, TrackingOptions.Section);
        services.AddValidatedOptions<EngagementOptions>(configuration, EngagementOptions.Section);
        services.AddValidatedOptions<PurgeOptions>(configuration, PurgeOptions.Section);
        services.AddValidatedOptions<InboundOptions>(configuration, InboundOptions.Section);
        services.AddValidatedOptions<DashboardOptions>(configuration, DashboardOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new DripDatabase(sp.GetRequiredService<StoreOptions>().DatabaseFile, sp.GetRequiredService<StoreOptions>().IndexedFields));
        services.AddSingleton<ISubscriberStore, LiteSubscriberStore>();
        services.AddSingleton<IOutboxStore, LiteOutboxStore>();
        services.AddSingleton<IHistoryStore, LiteHistoryStore>();
        services.AddSingleton<IEventStore, LiteEventStore>();
        services.AddSingleton<ISuppressionStore, LiteSuppressionStore>();
        services.AddSingleton<IAdminStore, LiteAdminStore>();
        services.AddSingleton<IApiKeyStore, LiteApiKeyStore>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ILetterStatsStore, LiteLetterStatsStore>();
        services.AddSingleton<IChangeWriter, LiteChangeWriter>();
        services.AddSingleton(sp => sp.GetRequiredService<DripDatabase>().Changes);
        services.AddSingleton<GroupCommit>();

        services.AddSingleton(sp => TemplateLibrary.Load(sp.GetRequiredService<TemplatesOptions>().Path, sp.GetRequiredService<TemplatesOptions>().EffectiveKinds));
        services.AddSingleton(sp => new LetterRenderer(sp.GetRequiredService<TemplateLibrary>(), sp.GetRequiredService<TemplatesOptions>().Limits, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<LetterLinter>();
        services.AddSingleton(sp => new TemplateEditor(sp.GetRequiredService<TemplateLibrary>(), sp.GetRequiredService<TemplatesOptions>().Limits));
        services.AddSingleton(sp => SigningKeyRing.Load(sp.GetRequiredService<SigningOptions>(), sp.GetRequiredService<StoreOptions>().DataPath));
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<VerpAddress>();
        services.AddSingleton<BounceHandler>();
        services.AddSingleton(sp => new LetterSigner(sp.GetRequiredService<DkimOptions>()));
        services.AddSingleton<MessageBuilder>();
        services.AddSingleton<ILetterTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<SmtpOptions>();
            return smtp.UsesRelay
                ? new SmtpTransport(smtp, sp.GetRequiredService<TimeProvider>())
                : new PickupFolderTransport(smtp.PickupPath);
        });
        services.AddSingleton(sp => new OutcomeJournal(sp.GetRequiredService<StoreOptions>().OutcomesFolder,
            sp.GetRequiredService<GroupCommit>(), sp.GetRequiredService<IOutboxStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<SequencePlanner>();
        services.AddSingleton<CadencePlanner>();
        services.AddSingleton<PlanningPass>();
        services.AddSingleton<PlanView>();
        services.AddSingleton<EventRecorder>();
        services.AddSingleton<CampaignEnqueuer>();
        services.AddSingleton<SubscriberImporter>();
        services.AddSingleton<Unsubscriber>();
        services.AddSingleton<Pauses>();
        services.AddSingleton<Preferences>();
        services.AddSingleton<Eraser>();
        services.AddSingleton<SubscriberEditor>();
        services.AddSingleton<SubscriberTimeline>();
        services.AddSingleton<SubscriberExporter>();
        services.AddSingleton<OptIn>();
        services.AddSingleton<LinkTracker>();
        services.AddSingleton<IInboundMailbox>(sp => sp.GetRequiredService<InboundOptions>() is { Imap.Host.Length: > 0 } inbound
            ? new ImapMailbox(inbound.Imap)
            : new FolderMailbox(sp.GetRequiredService<InboundOptions>().Folder));
        services.AddSingleton<InboundProcessor>();
        services.AddSingleton<EngagementJudge>();
        services.AddSingleton<EngagementRecorder>();
        services.AddSingleton<ProgramTrends>();
        services.AddSingleton<DashboardFigures>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Purger>(sp, Path.Combine(sp.GetRequiredService<StoreOptions>().DataPath, "purges")));
        return services;
    }

    private static void AddValidatedOptions<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }
}
