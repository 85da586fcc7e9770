using System.Text;
using Drip.IntegrationTests.Smtp;
using Drip.Web;
using Drip.Web.Cli;
using Drip.Web.Commands;
using Microsoft.Extensions.Configuration;

namespace Drip.IntegrationTests;

/// <summary>CLI verbs work whether or not <c>drip serve</c> holds the store, and never open it twice.</summary>
/// <remarks>
/// In the same collection as the other host tests: WebApplicationFactory intercepts any host built in the
/// process while it starts one, so hosts must not be built concurrently.
/// </remarks>
[Collection(PostfixGroup.Name)]
public sealed class CommandLineTests : IDisposable
{
    private readonly TestData _data = new();

    private Dictionary<string, string?> Settings()
    {
        var settings = TestSettings.For(_data.DataPath);
        settings["Dispatch:Interval"] = "00:00:01";
        settings["Planning:Interval"] = "00:00:01";
        return settings;
    }

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Verbs_go_through_the_running_host_when_serve_holds_the_store()
    {
        var args = Settings().AsArguments().Append("--urls=http://127.0.0.1:0").ToArray();
        await using var host = DripHost.Build(args);
        await host.StartAsync();
        try
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
            await using var commands = CommandsTarget.Open(config);
            Assert.IsType<RemoteCommands>(commands);

            var import = await commands.ImportAsync(Csv($"email,first_name\n{_data.Email("ada")},Ada\nnot-an-email,Bob\n"), "test", CancellationToken.None);
            Assert.Equal(1, import.Created);
            Assert.Equal(3, Assert.Single(import.Errors).Line);

            var recorded = await commands.RecordEventAsync(new EventRequest("sale", _data.Email("ada")), CancellationToken.None);
            Assert.Equal(3, recorded.SendsPlanned);

            var missing = await Assert.ThrowsAsync<CommandException>(() => commands.RecordEventAsync(new EventRequest("sale", _data.Email("nobody")), CancellationToken.None));
            Assert.True(missing.NotFound);

            // The host's own scheduler sends the thank-you within a few ticks.
            var pickup = Path.Combine(_data.DataPath, "pickup");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((!Directory.Exists(pickup) || Directory.GetFiles(pickup, "*.eml").Length == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            var letter = Assert.Single(Directory.GetFiles(pickup, "*.eml"));
            Assert.Contains("Subject: Ada, thank you for choosing us", await File.ReadAllTextAsync(letter));
            var summary = await commands.SummaryAsync(CancellationToken.None);
            Assert.Equal(1, summary.Sends["sent"]);

            var one = (await commands.EngagementAsync(_data.Email("ada"), CancellationToken.None)).Subscriber!;
            Assert.Equal((Drip.Engagement.EngagementLevel.Passive, 1, 0), (one.Level, one.LettersSinceEngaged, one.Clicks));
            Assert.Equal(1, (await commands.EngagementAsync(null, CancellationToken.None)).Passive);
            var purge = await commands.PurgeAsync(dryRun: true, CancellationToken.None);
            Assert.True(purge.DryRun);
            Assert.Empty(purge.Decisions); // a subscriber of one day is never touched

            Assert.True((await commands.ForgetAsync(_data.Email("ada"), CancellationToken.None)).HadRecord);
            Assert.Equal(0, (await commands.SummaryAsync(CancellationToken.None)).Subscribers);
            var again = await commands.ImportAsync(Csv($"email,first_name\n{_data.Email("ada")},Ada\n"), "test", CancellationToken.None);
            Assert.Equal((1, 1), (again.Created, again.KeptOff)); // the erased address stays suppressed
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Verbs_open_the_store_themselves_when_nothing_is_serving()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        await using (var commands = CommandsTarget.Open(config))
        {
            Assert.IsNotType<RemoteCommands>(commands);
            var import = await commands.ImportAsync(Csv($"email\n{_data.Email("grace")}\n"), "test", CancellationToken.None);
            Assert.Equal(1, import.Created);
        }
        await using (var again = CommandsTarget.Open(config)) // the first one released the store
        {
            var summary = await again.SummaryAsync(CancellationToken.None);
            Assert.Equal(1, summary.Subscribers);
        }
    }

    [Fact]
    public async Task Api_keys_are_made_listed_and_revoked_through_the_running_host()
    {
        var args = Settings().AsArguments().Append("--urls=http://127.0.0.1:0").ToArray();
        await using var host = DripHost.Build(args);
        await host.StartAsync();
        try
        {
            var config = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
            await using var commands = CommandsTarget.Open(config);
            Assert.IsType<RemoteCommands>(commands);

            var made = await commands.CreateApiKeyAsync("crm sync", CancellationToken.None);
            var url = host.Urls.First();
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", made.Key);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/stats")).StatusCode);

            var listed = Assert.Single(await commands.ListApiKeysAsync(CancellationToken.None));
            Assert.Equal((made.Id, "crm sync", made.Key[..9], null), (listed.Id, listed.Name, listed.Prefix, listed.RevokedAt));

            await commands.RevokeApiKeyAsync(made.Id, CancellationToken.None);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/stats")).StatusCode);
            Assert.NotNull(Assert.Single(await commands.ListApiKeysAsync(CancellationToken.None)).RevokedAt);
            var missing = await Assert.ThrowsAsync<CommandException>(() => commands.RevokeApiKeyAsync("no-such-key", CancellationToken.None));
            Assert.True(missing.NotFound);
            var nameless = await Assert.ThrowsAsync<CommandException>(() => commands.CreateApiKeyAsync(" ", CancellationToken.None));
            Assert.False(nameless.NotFound);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Api_keys_made_without_a_running_host_open_the_api_when_it_starts()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        CreatedApiKey made;
        await using (var commands = CommandsTarget.Open(config))
        {
            Assert.IsNotType<RemoteCommands>(commands);
            made = await commands.CreateApiKeyAsync("shop", CancellationToken.None);
        }
        var args = Settings().AsArguments().Append("--urls=http://127.0.0.1:0").ToArray();
        await using var host = DripHost.Build(args);
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(host.Urls.First()) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", made.Key);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/api/stats")).StatusCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose() => _data.Dispose();
}
