using System.Security.Cryptography;
using System.Text;
using Drip.Security;

namespace Drip.UnitTests.Security;

public sealed class SigningOptionsValidatorTests
{
    private static List<string> Problems(string key, string? current = null) =>
        SigningOptionsValidator.Problems(new SigningOptions { Keys = { ["k1"] = key }, CurrentKeyId = current }).ToList();

    [Fact]
    public void Random_keys_of_32_bytes_or_more_pass_whether_made_as_base64_or_as_hex()
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.Empty(Problems(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "k1"));
            Assert.Empty(Problems(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))); // 'openssl rand -hex 32' is base64 too
        }
    }

    [Fact]
    public void A_short_key_is_refused_with_the_setting_named_and_the_key_not_shown()
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

        var problem = Assert.Single(Problems(key));

        Assert.StartsWith("Signing:Keys:k1 is 16 bytes long", problem);
        Assert.DoesNotContain(key, problem);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // 32 zero bytes
    [InlineData("change-me-change-me-change-me-32")]
    [InlineData("my-very-long-secret-passphrase!!")]
    public void A_placeholder_or_a_typed_phrase_is_refused(string placeholder)
    {
        var key = placeholder.EndsWith('=') ? placeholder : Convert.ToBase64String(Encoding.ASCII.GetBytes(placeholder));

        Assert.Contains("Signing:Keys:k1 is not random", Assert.Single(Problems(key)));
    }

    [Fact]
    public void A_key_that_is_not_base64_and_a_current_key_id_naming_no_key_are_refused()
    {
        Assert.Equal("Signing:Keys:k1 is not base64", Assert.Single(Problems("not base64 at all!"))[..29]);
        Assert.Contains("Signing:CurrentKeyId names 'k9'", Assert.Single(Problems(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), "k9")));
    }

    [Fact]
    public void The_generated_key_file_is_readable_by_its_owner_only_and_loads_again()
    {
        var folder = Directory.CreateTempSubdirectory("drip-key-").FullName;
        try
        {
            var first = SigningKeyRing.Load(new SigningOptions(), folder);
            var file = Path.Combine(folder, "signing-key.json");

            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            var token = first.Sign(TokenPurpose.Unsubscribe, Guid.NewGuid());
            Assert.NotNull(SigningKeyRing.Load(new SigningOptions(), folder).Verify(token, TokenPurpose.Unsubscribe));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
