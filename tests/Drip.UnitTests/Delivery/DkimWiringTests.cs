using System.Security.Cryptography;
using Drip.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Drip.UnitTests.Delivery;

public sealed class DkimWiringTests
{
    private static ServiceProvider Services(Dictionary<string, string?> dkim)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sender:Name"] = "Shop", ["Sender:Address"] = "news@example.com", ["Sender:PostalAddress"] = "12 Garden Street",
        };
        foreach (var (key, value) in dkim)
        {
            settings[$"Dkim:{key}"] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddDrip(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Without_a_dkim_section_the_signer_is_off()
    {
        using var services = Services([]);

        Assert.False(services.GetRequiredService<LetterSigner>().Enabled);
    }

    [Fact]
    public void A_key_from_the_environment_style_setting_turns_signing_on()
    {
        using var rsa = RSA.Create(2048);
        using var services = Services(new() { ["Domain"] = "example.com", ["Selector"] = "s1", ["PrivateKey"] = rsa.ExportPkcs8PrivateKeyPem() });

        Assert.True(services.GetRequiredService<LetterSigner>().Enabled);
    }

    [Fact]
    public void An_unaligned_domain_stops_the_options_from_loading_with_the_setting_named()
    {
        using var rsa = RSA.Create(2048);
        using var services = Services(new() { ["Domain"] = "other.org", ["Selector"] = "s1", ["PrivateKey"] = rsa.ExportRSAPrivateKeyPem() });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<DkimOptions>());

        Assert.Contains("Dkim:Domain 'other.org' is not aligned with Sender:Address 'news@example.com'", error.Message, StringComparison.Ordinal);
    }
}
