using Drip.IntegrationTests.Smtp;
using Drip.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Drip.IntegrationTests;

/// <summary>The host refuses to start on wrong settings or broken templates, and says exactly what is wrong.</summary>
[Collection(PostfixGroup.Name)]
public sealed class StartupTests : IDisposable
{
    private readonly TestData _data = new();

    private string[] Args(string templates, params string[] overrides)
    {
        var settings = TestSettings.For(_data.DataPath);
        settings["Templates:Path"] = templates;
        return [.. settings.AsArguments(), "--urls=http://127.0.0.1:0", .. overrides];
    }

    private static string ShippedTemplates => Path.Combine(DripApplication.RepositoryRoot, "templates");

    [Fact]
    public async Task Missing_postal_address_stops_start_up_with_a_message_naming_the_setting()
    {
        await using var host = DripHost.Build(Args(ShippedTemplates, "--Sender:PostalAddress="));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Sender:PostalAddress", error.Message);
    }

    [Fact]
    public async Task Unknown_default_time_zone_and_relative_base_url_are_refused_at_start_up()
    {
        await using var host = DripHost.Build(Args(ShippedTemplates, "--Planning:DefaultTimeZone=Mars/Olympus"));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Mars/Olympus", error.Message);

        await using var second = DripHost.Build(Args(ShippedTemplates, "--Public:BaseUrl=/relative"));
        var urlError = await Assert.ThrowsAsync<OptionsValidationException>(() => second.StartAsync());
        Assert.Contains("Public:BaseUrl", urlError.Message);
    }

    [Fact]
    public async Task A_letter_that_does_not_lint_keeps_the_host_from_starting_and_names_file_line_and_column()
    {
        var templates = Path.Combine(_data.DataPath, "templates");
        CopyDirectory(ShippedTemplates, templates);
        await File.WriteAllTextAsync(Path.Combine(templates, "letters", "broken.md"),
            "---\nsubject: Hello\nkind: news\n---\nFirst line\n\nDear {{ if }} friend\n");

        await using var host = DripHost.Build(Args(templates));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("templates/letters/broken.md:7:", error.Message);
    }

    [Fact]
    public async Task What_a_dead_process_recorded_as_sent_is_stored_before_the_started_host_does_anything_else()
    {
        // As a killed process leaves it: the send still due in the store (claims are not stored), its outcome in the journal.
        var now = DateTimeOffset.UtcNow;
        var send = Drip.Outbox.OutboxEntry.Create("campaign:news:ada", Guid.NewGuid(), "news", "campaign:news", now, urgent: false, now);
        using (var db = new Drip.Storage.DripDatabase(Path.Combine(_data.DataPath, "drip.db")))
        {
            var outbox = new Drip.Storage.LiteOutboxStore(db);
            outbox.Enqueue([send]);
            var journal = new Drip.Outbox.OutcomeJournal(Path.Combine(_data.DataPath, "outcomes"),
                new Drip.Changes.GroupCommit(new Drip.Storage.LiteChangeWriter(db, TimeProvider.System)), outbox, TimeProvider.System);
            var claimed = Assert.Single(outbox.ClaimDue(now, 1, now.AddMinutes(10)));
            claimed.Attempts++;
            claimed.Close(Drip.Outbox.OutboxState.Sent);
            journal.Record(claimed, null);
            journal.Dispose();
        }
        using (var reopened = new Drip.Storage.DripDatabase(Path.Combine(_data.DataPath, "drip.db")))
        {
            // The claim died with the process: the store has the send due, and only the journal knows it went out.
            Assert.Equal(Drip.Outbox.OutboxState.Due, new Drip.Storage.LiteOutboxStore(reopened).Find(send.Id)!.State);
        }

        // No dispatch tick for an hour: only start-up can have stored it, before a pause or an edit could take the send for a due one.
        await using var host = DripHost.Build(Args(ShippedTemplates, "--Dispatch:Interval=01:00:00"));
        await host.StartAsync();

        Assert.Equal(Drip.Outbox.OutboxState.Sent, host.Services.GetRequiredService<Drip.Outbox.IOutboxStore>().Find(send.Id)!.State);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data.DataPath, "outcomes")));
        await host.StopAsync();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to));
        }
    }

    public void Dispose() => _data.Dispose();
}
