namespace Drip.IntegrationTests;

/// <summary>The settings every test host starts from: its own data folder, the repository's templates, a sender.</summary>
internal static class TestSettings
{
    public static Dictionary<string, string?> For(string dataPath, int? smtpPort = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataPath"] = dataPath,
            ["Templates:Path"] = Path.Combine(DripApplication.RepositoryRoot, "templates"),
            ["Sender:Name"] = "Example Shop",
            ["Sender:Address"] = "news@example.com",
            ["Sender:PostalAddress"] = "12 Garden Street, Springfield",
            ["Public:Links:survey"] = "https://example.com/survey",
            ["Public:Links:shop"] = "https://example.com/",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (smtpPort is { } port)
        {
            settings["Smtp:Host"] = "127.0.0.1";
            settings["Smtp:Port"] = port.ToString();
            settings["Smtp:Security"] = "None";
        }
        else
        {
            settings["Smtp:PickupPath"] = Path.Combine(dataPath, "pickup");
        }
        return settings;
    }

    /// <summary>The same settings as command-line arguments (<c>--Key=value</c>).</summary>
    public static string[] AsArguments(this Dictionary<string, string?> settings) =>
        settings.Select(kv => $"--{kv.Key}={kv.Value}").ToArray();

    /// <summary>The same settings as environment variables (<c>Key__Sub</c>).</summary>
    public static IEnumerable<(string Name, string Value)> AsEnvironment(this Dictionary<string, string?> settings) =>
        settings.Select(kv => (kv.Key.Replace(":", "__"), kv.Value ?? ""));
}
