using System.Security.Cryptography;
using Drip.Delivery;

namespace Drip.UnitTests.Delivery;

public sealed class DkimOptionsTests : IDisposable
{
    private const string From = "news@mail.example.com";
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-dkim-").FullName;
    private readonly string _pem;

    public DkimOptionsTests()
    {
        using var rsa = RSA.Create(2048);
        _pem = rsa.ExportRSAPrivateKeyPem();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static List<string> Problems(DkimOptions options) => DkimOptionsValidator.Problems(options, From).ToList();

    [Fact]
    public void No_key_means_signing_is_off_and_nothing_else_is_required()
    {
        var options = new DkimOptions { Domain = "elsewhere.test" };

        Assert.False(options.Enabled);
        Assert.Empty(Problems(options));
    }

    [Theory]
    [InlineData("mail.example.com")]
    [InlineData("example.com")]
    [InlineData("EXAMPLE.com.")]
    public void The_from_domain_or_a_parent_of_it_is_aligned(string domain)
    {
        Assert.Empty(Problems(new DkimOptions { Domain = domain, Selector = "s1", PrivateKey = _pem }));
    }

    [Theory]
    [InlineData("other.com")]
    [InlineData("ample.com")]
    [InlineData("eu.mail.example.com")]
    [InlineData("com")]
    public void Another_domain_a_child_domain_or_a_bare_tld_is_refused_naming_both_settings(string domain)
    {
        var problem = Assert.Single(Problems(new DkimOptions { Domain = domain, Selector = "s1", PrivateKey = _pem }));

        Assert.Contains("Dkim:Domain", problem, StringComparison.Ordinal);
        Assert.Contains("Sender:Address", problem, StringComparison.Ordinal);
        Assert.Contains("mail.example.com", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_selector_or_domain_is_refused()
    {
        var problems = Problems(new DkimOptions { PrivateKey = _pem });

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Dkim:Domain is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Dkim:Selector is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_key_file_is_refused_by_path()
    {
        var path = Path.Combine(_folder, "nope.pem");

        var problem = Assert.Single(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKeyPath = path }));

        Assert.Equal($"Dkim:PrivateKeyPath '{path}' does not exist.", problem);
    }

    [Fact]
    public void A_file_that_is_not_a_key_is_refused()
    {
        var path = Path.Combine(_folder, "public.pem");
        using var rsa = RSA.Create(2048);
        File.WriteAllText(path, rsa.ExportSubjectPublicKeyInfoPem());

        var problem = Assert.Single(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKeyPath = path }));

        Assert.StartsWith($"Dkim:PrivateKeyPath '{path}' does not hold an RSA private key", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_text_that_does_not_parse_is_refused_without_echoing_it()
    {
        const string broken = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4=\n-----END RSA PRIVATE KEY-----";

        var problem = Assert.Single(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKey = broken }));

        Assert.StartsWith("Dkim:PrivateKey does not hold an RSA private key", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        using var rsa = RSA.Create(512);

        var problem = Assert.Single(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKey = rsa.ExportRSAPrivateKeyPem() }));

        Assert.Contains("512-bit", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readable_key_file_is_accepted()
    {
        var path = Path.Combine(_folder, "dkim.pem");
        File.WriteAllText(path, _pem);
        var options = new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKeyPath = path };

        Assert.Empty(Problems(options));
        Assert.True(new LetterSigner(options).Enabled);
    }

    [Fact]
    public void Both_a_key_file_and_key_text_is_ambiguous()
    {
        var problem = Assert.Single(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKey = _pem, PrivateKeyPath = "dkim.pem" }));

        Assert.Contains("set only one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_text_on_one_line_as_env_files_carry_it_is_accepted()
    {
        var oneLine = _pem.ReplaceLineEndings(" ");

        Assert.Empty(Problems(new DkimOptions { Domain = "example.com", Selector = "s1", PrivateKey = oneLine }));
    }
}
