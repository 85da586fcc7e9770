using System.Security.Cryptography;
using Drip.Web;
using Microsoft.Extensions.Options;

namespace Drip.IntegrationTests.Security;

/// <summary>
/// The host as `dotnet run` starts it (Production): a configured signing key that is weak or sits in the repository's
/// appsettings.json stops start-up with a message naming the setting; with none, a key is generated for this
/// installation, readable by Drip's user only.
/// </summary>
public sealed class SigningKeyStartupTests : IDisposable
{
    private readonly TestData _data = new();

    /// <summary>A content root of its own, so a test can put an appsettings.json there as a repository checkout has.</summary>
    private string ContentRoot => Directory.CreateDirectory(Path.Combine(_data.DataPath, "app")).FullName;

    private string[] Args(string environment, params string[] overrides) =>
        [.. TestSettings.For(Path.Combine(_data.DataPath, "data")).AsArguments(), "--urls=http://127.0.0.1:0",
            $"--environment={environment}", $"--contentRoot={ContentRoot}", .. overrides];

    private static string RandomKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_key_written_in_appsettings_json_is_refused_outside_development()
    {
        await File.WriteAllTextAsync(Path.Combine(ContentRoot, "appsettings.json"), $$"""{ "Signing": { "Keys": { "k2026": "{{RandomKey()}}" } } }""");

        await using (var production = DripHost.Build(Args("Production")))
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => production.StartAsync());
            Assert.Contains("Signing:Keys:k2026 is set in appsettings.json", error.Message);
        }

        await using var development = DripHost.Build(Args("Development"));
        await development.StartAsync();
        await development.StopAsync();
    }

    [Fact]
    public async Task A_short_or_placeholder_key_from_the_environment_is_refused_with_the_setting_named()
    {
        Assert.Contains("Signing:Keys:k1 is 16 bytes long", await RefusalAsync(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16))));
        Assert.Contains("Signing:Keys:k1 is not random", await RefusalAsync(Convert.ToBase64String(new byte[32])));
        Assert.Contains("Signing:Keys:k1 is not base64", await RefusalAsync("please change me"));
    }

    private async Task<string> RefusalAsync(string key)
    {
        await using var host = DripHost.Build(Args("Production", $"--Signing:Keys:k1={key}"));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.DoesNotContain(key, error.Message);
        return error.Message;
    }

    [Fact]
    public async Task A_strong_key_from_the_environment_starts_and_with_none_a_private_key_is_generated()
    {
        await using (var configured = DripHost.Build(Args("Production", $"--Signing:Keys:k1={RandomKey()}")))
        {
            await configured.StartAsync();
            await configured.StopAsync();
        }

        await using var fresh = DripHost.Build(Args("Production"));
        await fresh.StartAsync();
        await fresh.StopAsync();

        var file = Path.Combine(_data.DataPath, "data", "signing-key.json");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    public void Dispose() => _data.Dispose();
}
