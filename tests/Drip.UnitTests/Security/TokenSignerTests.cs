using System.Security.Cryptography;
using Drip.Security;

namespace Drip.UnitTests.Security;

public sealed class TokenSignerTests
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(48);
    private static readonly Guid Subscriber = Guid.Parse("6f1c2a4e-9b7d-4c3a-8e21-0d5f6a7b8c9d");

    private readonly TokenSigner _old = new(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");
    private readonly TokenSigner _rotated = new(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");

    private static string ReplaceChar(string text, int index) =>
        string.Concat(text.AsSpan(0, index), text[index] == 'A' ? "B" : "A", text.AsSpan(index + 1));

    /// <summary>The MAC the token format promises, computed from scratch: HMAC-SHA256 of "kid." and the payload, first 16 bytes.</summary>
    private static byte[] ExpectedMac(byte[] key, string token)
    {
        var parts = token.Split('.');
        var data = System.Text.Encoding.ASCII.GetBytes(parts[0] + ".").Concat(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).ToArray();
        return HMACSHA256.HashData(key, data)[..16];
    }

    private static byte[] MacOf(string token) => System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[2]);

    [Fact]
    public void The_mac_is_hmac_sha256_of_the_key_id_and_payload_so_tokens_signed_earlier_still_verify()
    {
        var first = _rotated.Sign(TokenPurpose.Click, Subscriber, "letter|abc");
        var second = _rotated.Sign(TokenPurpose.Open, Subscriber, "letter"); // the reused HMAC starts clean each time

        Assert.Equal(ExpectedMac(NewKey, first), MacOf(first));
        Assert.Equal(ExpectedMac(NewKey, second), MacOf(second));
        Assert.Equal(ExpectedMac(OldKey, _old.Sign(TokenPurpose.Open, Subscriber, "letter")), MacOf(_old.Sign(TokenPurpose.Open, Subscriber, "letter")));
    }

    [Fact]
    public void Tokens_signed_on_many_threads_at_once_are_each_right()
    {
        var subscribers = Enumerable.Range(0, 4000).Select(i => new Guid(i, 0, 0, new byte[8])).ToList();

        var tokens = subscribers.AsParallel().WithDegreeOfParallelism(8).Select(s => (s, Token: _rotated.Sign(TokenPurpose.Click, s, $"l|{s:N}"))).ToList();

        Assert.All(tokens, t =>
        {
            Assert.Equal(ExpectedMac(NewKey, t.Token), MacOf(t.Token));
            Assert.Equal(t.s, _rotated.Verify(t.Token, TokenPurpose.Click)?.SubscriberId);
        });
    }

    [Fact]
    public void Round_trip_gives_back_the_subscriber_id()
    {
        var token = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);

        var verified = _old.Verify(token, TokenPurpose.Unsubscribe);

        Assert.NotNull(verified);
        Assert.Equal(Subscriber, verified.SubscriberId);
        Assert.Equal(TokenPurpose.Unsubscribe, verified.Purpose);
        Assert.Equal("k1", verified.KeyId);
        Assert.Equal("", verified.Scope);
    }

    [Fact]
    public void Round_trip_keeps_the_scope()
    {
        var token = _old.Sign(TokenPurpose.Unsubscribe, Subscriber, "program:weekly");

        Assert.Equal("program:weekly", _old.Verify(token, TokenPurpose.Unsubscribe)?.Scope);
    }

    [Fact]
    public void Different_subscribers_get_different_tokens()
    {
        var a = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);
        var b = _old.Sign(TokenPurpose.Unsubscribe, Guid.NewGuid());

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Token_is_three_url_safe_parts_led_by_the_key_id()
    {
        var parts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');

        Assert.Equal(3, parts.Length);
        Assert.Equal("k1", parts[0]);
        Assert.All(parts, p => Assert.Matches("^[A-Za-z0-9_-]+$", p));
    }

    [Fact]
    public void Tampered_payload_is_rejected()
    {
        var parts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');
        var payload = ReplaceChar(parts[1], 5);

        Assert.Null(_old.Verify($"{parts[0]}.{payload}.{parts[2]}", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Payload_from_another_valid_token_is_rejected_under_this_mac()
    {
        var parts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');
        var other = _old.Sign(TokenPurpose.Unsubscribe, Guid.NewGuid()).Split('.');

        Assert.Null(_old.Verify($"{parts[0]}.{other[1]}.{parts[2]}", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Tampered_mac_is_rejected()
    {
        var parts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');
        var mac = ReplaceChar(parts[2], 3);

        Assert.Null(_old.Verify($"{parts[0]}.{parts[1]}.{mac}", TokenPurpose.Unsubscribe));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void Truncated_token_is_rejected(int cut)
    {
        var token = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);

        Assert.Null(_old.Verify(token[..^cut], TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Token_without_its_mac_is_rejected()
    {
        var token = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);

        Assert.Null(_old.Verify(token[..token.LastIndexOf('.')], TokenPurpose.Unsubscribe));
        Assert.Null(_old.Verify(token[..(token.LastIndexOf('.') + 1)], TokenPurpose.Unsubscribe));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("...")]
    [InlineData("k1..")]
    [InlineData("k1.!!!.???")]
    public void Garbage_is_rejected_without_throwing(string? token) =>
        Assert.Null(_old.Verify(token, TokenPurpose.Unsubscribe));

    [Fact]
    public void Unknown_key_id_is_rejected()
    {
        var parts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');

        Assert.Null(_old.Verify($"k9.{parts[1]}.{parts[2]}", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Token_signed_by_a_key_the_verifier_lacks_is_rejected()
    {
        var fresh = _rotated.Sign(TokenPurpose.Unsubscribe, Subscriber);

        Assert.Null(_old.Verify(fresh, TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Token_relabelled_with_another_known_key_id_is_rejected()
    {
        var oldParts = _old.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');
        var newParts = _rotated.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');

        Assert.Null(_rotated.Verify($"k2.{oldParts[1]}.{oldParts[2]}", TokenPurpose.Unsubscribe));
        Assert.Null(_rotated.Verify($"k1.{newParts[1]}.{newParts[2]}", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Relabelling_is_refused_even_when_both_ids_share_one_key()
    {
        var twins = new TokenSigner(new Dictionary<string, byte[]> { ["a"] = OldKey, ["b"] = OldKey }, "a");
        var parts = twins.Sign(TokenPurpose.Unsubscribe, Subscriber).Split('.');

        Assert.NotNull(twins.Verify(string.Join('.', parts), TokenPurpose.Unsubscribe));
        Assert.Null(twins.Verify($"b.{parts[1]}.{parts[2]}", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Token_signed_under_the_old_key_still_verifies_after_rotation()
    {
        var old = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);

        var verified = _rotated.Verify(old, TokenPurpose.Unsubscribe);

        Assert.Equal(Subscriber, verified?.SubscriberId);
        Assert.Equal("k1", verified?.KeyId);
    }

    [Fact]
    public void Rotated_signer_signs_with_the_current_key()
    {
        var token = _rotated.Sign(TokenPurpose.Unsubscribe, Subscriber);

        Assert.StartsWith("k2.", token);
        Assert.Equal(Subscriber, _rotated.Verify(token, TokenPurpose.Unsubscribe)?.SubscriberId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    public void Keys_shorter_than_32_bytes_are_refused(int length)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new TokenSigner(new Dictionary<string, byte[]> { ["k"] = new byte[length] }, "k"));
        Assert.Contains("32 bytes", error.Message);
    }

    [Fact]
    public void Short_retired_key_is_refused_too()
    {
        Assert.Throws<ArgumentException>(() =>
            new TokenSigner(new Dictionary<string, byte[]> { ["old"] = new byte[31], ["new"] = NewKey }, "new"));
    }

    [Fact]
    public void Key_of_exactly_32_bytes_is_accepted()
    {
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k"] = new byte[32] }, "k");

        Assert.Equal(Subscriber, signer.Verify(signer.Sign(TokenPurpose.Unsubscribe, Subscriber), TokenPurpose.Unsubscribe)?.SubscriberId);
    }

    [Fact]
    public void Current_key_id_must_be_among_the_keys()
    {
        Assert.Throws<ArgumentException>(() => new TokenSigner(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k2"));
    }

    [Fact]
    public void Token_contains_neither_the_email_nor_the_plain_guid()
    {
        const string email = "ada.lovelace@example.com";
        var token = _old.Sign(TokenPurpose.Unsubscribe, Subscriber);

        Assert.DoesNotContain("@", token);
        Assert.DoesNotContain(email, token, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Subscriber.ToString("N"), token, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Subscriber.ToString("D"), token, StringComparison.OrdinalIgnoreCase);
    }
}
