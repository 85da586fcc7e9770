using Drip.Subscribers;

namespace Drip.UnitTests.Subscribers;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("  ada@example.com  ", "ada@example.com")]
    [InlineData("\tada@example.com\n", "ada@example.com")]
    [InlineData("Ada.Lovelace@Example.COM", "Ada.Lovelace@example.com")]
    [InlineData("user+tag@Sub.Example.ORG", "user+tag@sub.example.org")]
    [InlineData("ada@example.com.", "ada@example.com")]
    public void Normalise_trims_and_lower_cases_the_domain_but_keeps_the_local_part(string input, string expected)
    {
        Assert.Equal(expected, EmailAddress.Normalise(input, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("иван@пример.рф", "иван@пример.рф")]
    [InlineData("ivan@ПРИМЕР.РФ", "ivan@пример.рф")]
    [InlineData("ivan@xn--e1afmkfd.xn--p1ai", "ivan@пример.рф")]
    [InlineData("jürgen@müller.de", "jürgen@müller.de")]
    public void Normalise_accepts_idn_domains_and_keeps_them_in_unicode(string input, string expected)
    {
        Assert.Equal(expected, EmailAddress.Normalise(input, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("Иван@example.com")]
    [InlineData("δοκιμή@example.com")]
    [InlineData("用户@example.com")]
    public void Normalise_accepts_utf8_local_parts_unchanged(string input)
    {
        Assert.Equal(input, EmailAddress.Normalise(input, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("no-at-sign")]
    [InlineData("example.com")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    public void Normalise_rejects_an_address_without_both_sides_of_an_at(string input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.Contains("not an email address", error);
    }

    [Theory]
    [InlineData("two..dots@example.com")]
    [InlineData(".leading@example.com")]
    [InlineData("trailing.@example.com")]
    [InlineData("ada@example..com")]
    [InlineData("ada@.example.com")]
    public void Normalise_rejects_double_and_stray_dots(string input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("space in@example.com")]
    [InlineData("ada@exa mple.com")]
    [InlineData("ada @example.com")]
    [InlineData("tab\there@example.com")]
    public void Normalise_rejects_spaces_inside_the_address(string input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("a@b@example.com")]
    [InlineData("\"quoted\"@example.com")]
    [InlineData("ada@localhost")]
    [InlineData("ada@exa_mple.com")]
    [InlineData("ada@-example.com")]
    public void Normalise_rejects_other_malformed_addresses(string input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Normalise_rejects_empty_input(string? input)
    {
        Assert.Null(EmailAddress.Normalise(input, out var error));
        Assert.Equal("email is empty", error);
    }

    [Fact]
    public void Normalise_accepts_254_characters_and_rejects_255()
    {
        var local = new string('a', 64);
        var domain254 = $"{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}";
        var fits = $"{local}@{domain254}";
        var tooLong = $"{local}@{domain254}e";
        Assert.Equal(254, fits.Length);
        Assert.Equal(255, tooLong.Length);

        Assert.Equal(fits, EmailAddress.Normalise(fits, out _));
        Assert.Null(EmailAddress.Normalise(tooLong, out var error));
        Assert.Contains("254", error);
    }

    [Fact]
    public void Normalise_counts_length_after_trimming()
    {
        var address = $"{new string('a', 64)}@{new string('b', 63)}.{new string('c', 63)}.{new string('d', 61)}";

        Assert.Equal(address, EmailAddress.Normalise($"   {address}   ", out _));
    }

    [Fact]
    public void Normalise_rejects_a_local_part_longer_than_64()
    {
        Assert.NotNull(EmailAddress.Normalise($"{new string('a', 64)}@example.com", out _));
        Assert.Null(EmailAddress.Normalise($"{new string('a', 65)}@example.com", out var error));
        Assert.Contains("local part", error);
    }

    [Fact]
    public void Key_makes_addresses_differing_only_in_case_equal()
    {
        var a = EmailAddress.Normalise("Ada@Example.com", out _)!;
        var b = EmailAddress.Normalise("ADA@example.COM", out _)!;

        Assert.NotEqual(a, b);
        Assert.Equal(EmailAddress.Key(a), EmailAddress.Key(b));
    }
}
