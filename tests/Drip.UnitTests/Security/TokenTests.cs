using System.Security.Cryptography;
using Drip.Security;

namespace Drip.UnitTests.Security;

public sealed class TokenTests
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);
    private readonly TokenSigner _signer = new(new Dictionary<string, byte[]> { ["k1"] = OldKey }, "k1");

    [Fact]
    public void A_signed_token_names_its_subscriber_and_nothing_readable()
    {
        var id = Guid.NewGuid();
        var token = _signer.Sign(TokenPurpose.Unsubscribe, id);

        Assert.Equal(id, _signer.Verify(token, TokenPurpose.Unsubscribe)!.SubscriberId);
        Assert.DoesNotContain(id.ToString("N"), token);
        Assert.DoesNotContain(id.ToString(), token);
    }

    [Fact]
    public void Tampered_truncated_and_relabelled_tokens_are_refused()
    {
        var token = _signer.Sign(TokenPurpose.Unsubscribe, Guid.NewGuid());
        var parts = token.Split('.');
        var otherPayload = _signer.Sign(TokenPurpose.Unsubscribe, Guid.NewGuid()).Split('.')[1];
        var both = new TokenSigner(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");

        Assert.Null(_signer.Verify($"{parts[0]}.{otherPayload}.{parts[2]}", TokenPurpose.Unsubscribe));
        Assert.Null(_signer.Verify(token[..^3], TokenPurpose.Unsubscribe));
        Assert.Null(_signer.Verify($"k9.{parts[1]}.{parts[2]}", TokenPurpose.Unsubscribe));
        Assert.Null(both.Verify($"k2.{parts[1]}.{parts[2]}", TokenPurpose.Unsubscribe));
        Assert.Null(_signer.Verify("", TokenPurpose.Unsubscribe));
        Assert.Null(_signer.Verify("a.b.c", TokenPurpose.Unsubscribe));
        Assert.Null(_signer.Verify(new string('x', 5000), TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void Tokens_signed_with_an_old_key_still_work_after_rotation()
    {
        var id = Guid.NewGuid();
        var old = _signer.Sign(TokenPurpose.Unsubscribe, id);
        var rotated = new TokenSigner(new Dictionary<string, byte[]> { ["k1"] = OldKey, ["k2"] = NewKey }, "k2");

        Assert.Equal(id, rotated.Verify(old, TokenPurpose.Unsubscribe)!.SubscriberId);
        Assert.StartsWith("k2.", rotated.Sign(TokenPurpose.Unsubscribe, id));
    }

    [Fact]
    public void Short_keys_and_an_unknown_current_key_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TokenSigner(new Dictionary<string, byte[]> { ["k"] = new byte[16] }, "k"));
        Assert.Throws<ArgumentException>(() => new TokenSigner(new Dictionary<string, byte[]> { ["k"] = OldKey }, "missing"));
    }
}
