using Drip.IntegrationTests.Smtp;
using Drip.Web;
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
