using System.Text;
using Drip.Delivery;
using Drip.Web;
using Drip.Web.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.BrowserTests;

/// <summary>
/// The real Drip host on Kestrel at a free loopback port, so a real browser can reach it (WebApplicationFactory's
/// in-memory server cannot be). It has its own data folder, its own copy of the repository's templates (the letter
/// editor saves letters, and a test must never change the repository), letters written to a pickup folder instead
/// of SMTP, an admin from configuration, and a clock the test controls. The scheduler's ticks are an hour apart,
/// so tests run the dispatcher themselves.
/// </summary>
public sealed class DripServer : IAsyncDisposable
{
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "correct horse battery staple";

    /// <summary>
    /// The address letters link to. The real port is only known once Kestrel has bound port 0, after the
    /// options are fixed, so tests open a letter's link path on <see cref="BaseUrl"/>.
    /// </summary>
    public const string PublicBaseUrl = "http://drip.test";

    private readonly WebApplication _host;

    private DripServer(WebApplication host, string dataPath, FakeTimeProvider clock)
    {
        _host = host;
        DataPath = dataPath;
        Clock = clock;
        var address = host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        BaseUrl = new Uri(address);
    }

    public Uri BaseUrl { get; }

    public string DataPath { get; }

    public string TemplatesPath => Path.Combine(DataPath, "templates");

    public string PickupPath => Path.Combine(DataPath, "pickup");

    public FakeTimeProvider Clock { get; }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <param name="now">Where the host's clock starts; the real time when not given.</param>
    public static async Task<DripServer> StartAsync(DateTimeOffset? now = null)
    {
        var dataPath = Directory.CreateTempSubdirectory("drip-browser-").FullName;
        CopyFolder(Path.Combine(Repository.Root, "templates"), Path.Combine(dataPath, "templates"));
        var clock = new FakeTimeProvider(now ?? DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string>
        {
            ["Storage:DataPath"] = dataPath,
            ["Templates:Path"] = Path.Combine(dataPath, "templates"),
            ["Smtp:PickupPath"] = Path.Combine(dataPath, "pickup"),
            ["Sender:Name"] = "Example Shop",
            ["Sender:Address"] = "news@example.com",
            ["Sender:PostalAddress"] = "12 Garden Street, Springfield",
            ["Public:BaseUrl"] = PublicBaseUrl,
            ["Public:Links:survey"] = "https://example.com/survey",
            ["Public:Links:shop"] = "https://example.com/",
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            ["Dispatch:Interval"] = "01:00:00",
            ["Planning:Interval"] = "01:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        string[] args = [.. settings.Select(kv => $"--{kv.Key}={kv.Value}"), "--urls", "http://127.0.0.1:0"];
        var host = DripHost.Build(args, services => services.AddSingleton<TimeProvider>(clock));
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return new DripServer(host, dataPath, clock);
    }

    /// <summary>Adds people to the list the way <c>drip import</c> does.</summary>
    public async Task ImportAsync(string csv)
    {
        var result = await Get<EngineCommands>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "browser test", CancellationToken.None);
        Assert.Empty(result.Errors);
    }

    /// <summary>
    /// Records a sale for a subscriber and sends what is due, as the scheduler would: the post-sale program's
    /// same-day thank-you letter, read back from the pickup folder.
    /// </summary>
    public async Task<MimeMessage> SellAndSendThankYouAsync(string email)
    {
        await Get<EngineCommands>().RecordEventAsync(new EventRequest("sale", email), CancellationToken.None);
        var report = await Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(1, report.Sent);
        var letters = Directory.GetFiles(PickupPath, "*.eml").Select(f => MimeMessage.Load(f));
        return Assert.Single(letters, m => m.To.Mailboxes.Single().Address == email);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a host that is shutting down; the OS temp cleaner takes it.
        }
    }
}
