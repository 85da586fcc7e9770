using Drip.Delivery;
using Drip.Engagement;
using Drip.Letters;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Drip.Bench.Delivery;

/// <summary>
/// Drip wired exactly as the host wires it (<see cref="DripServiceCollectionExtensions.AddDrip"/>), over a data folder
/// and an SMTP port of the bench's choosing, and the letter every delivery measurement sends.
/// </summary>
internal static class DripWiring
{
    /// <summary>The campaign letter: a name in the subject and greeting, a Markdown list, a tracked link, the layout's footer.</summary>
    public const string Letter = "spring-news";

    public static ServiceProvider Build(string dataPath, string templates, int port, int connections)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(dataPath, templates, port, connections)).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddDrip(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>The configuration both the in-process wiring and a host started by the bench run with; the signing key is the bench's own.</summary>
    public static Dictionary<string, string?> Settings(string dataPath, string templates, int port, int connections) =>
        new()
        {
            ["Storage:DataPath"] = dataPath,
            ["Templates:Path"] = templates,
            ["Sender:Name"] = "Example Shop",
            ["Sender:Address"] = "news@example.com",
            ["Sender:BounceAddress"] = "bounces@example.com",
            ["Sender:UnsubscribeAddress"] = "unsubscribe@example.com",
            ["Sender:PostalAddress"] = "12 Garden Street, Springfield",
            ["Public:BaseUrl"] = "https://news.example.com",
            ["Public:Links:shop"] = "https://example.com/shop",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:Connections"] = connections.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Signing:Keys:bench"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        };

    /// <summary>The message the dispatcher would send to <paramref name="subscriber"/>, built by the same parts in the same order.</summary>
    public static (MimeMessage Message, RenderedLetter Rendered, string UnsubscribeUrl) Sample(IServiceProvider drip, Subscriber subscriber)
    {
        var library = drip.GetRequiredService<TemplateLibrary>();
        var letter = library.FindLetter(Letter) ?? throw new InvalidOperationException($"templates have no letter '{Letter}'");
        var links = drip.GetRequiredService<UnsubscribeLinks>();
        var sender = drip.GetRequiredService<SenderOptions>();
        var publicOptions = drip.GetRequiredService<PublicOptions>();
        var unsubscribe = links.Url(subscriber.Id, letter.Id);
        var rendered = drip.GetRequiredService<LetterRenderer>().Render(letter, subscriber,
            new LetterContext(unsubscribe, new SenderIdentity(sender.Name, sender.Address, sender.PostalAddress), publicOptions.Links));
        rendered = rendered with { Html = drip.GetRequiredService<LinkTracker>().Track(rendered.Html, subscriber.Id, letter.Id, unsubscribe) };
        var entry = OutboxEntry.Create(IdempotencyKey.ForCampaign("sample", subscriber.Id), subscriber.Id, letter.Id, "campaign:sample",
            DateTimeOffset.UtcNow, urgent: false, DateTimeOffset.UtcNow);
        return (drip.GetRequiredService<MessageBuilder>().Build(entry, subscriber, rendered), rendered, unsubscribe);
    }
}
