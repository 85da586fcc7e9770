using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests;

/// <summary>
/// The real Drip host in-process over a LiteDB file in its own folder, sending to a real SMTP server
/// (or, with no port, into a pickup folder),
/// with the repository's templates and a clock the test controls. The scheduler's ticks are set an hour
/// apart so tests drive the dispatcher themselves.
/// </summary>
public sealed class DripApplication(string dataPath, int? smtpPort, FakeTimeProvider clock) : WebApplicationFactory<Program>
{
    public const string ApiKey = "integration-tests-api-key-0123456789";
    public const string AdminEmail = "admin@example.com";
    public const string AdminPassword = "correct horse battery staple";

    public FakeTimeProvider Clock { get; } = clock;

    /// <summary>Settings a test changes on top of the defaults below, before the host starts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Further changes to the host a test makes before it starts: its environment, a log recorder, a replaced service.</summary>
    public Action<IWebHostBuilder>? Customise { get; set; }
    /// <summary>The host environment (Development by default); "Production" shows what strangers see on errors.</summary>
    public string? EnvironmentName { get; init; }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Drip.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("Drip.sln not found above the test folder");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = TestSettings.For(dataPath, smtpPort);
        settings["Smtp:Connections"] = "4";
        settings["Dispatch:Interval"] = "01:00:00";
        settings["Planning:Interval"] = "01:00:00";
        settings["Public:BaseUrl"] = "http://localhost";
        settings["Api:Keys:0"] = ApiKey;
        settings["Admin:Email"] = AdminEmail;
        settings["Admin:Password"] = AdminPassword;
        if (EnvironmentName is not null)
        {
            builder.UseEnvironment(EnvironmentName);
        }
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings).AddInMemoryCollection(Settings));
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        Customise?.Invoke(builder);
    }

    public HttpClient CreateApiClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Stops the host and returns once its store is closed. Drip's entry point runs <c>app.RunAsync()</c>, which disposes
    /// the host on the entry point's own thread when it stops; the factory's dispose can return while that is still under
    /// way, and a test that opens the same store next (a restart) found it locked when the machine was busy.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var lockFile = Path.Combine(dataPath, "drip.db.lock");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (File.Exists(lockFile))
        {
            try
            {
                await using var free = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }
        }
    }
}
