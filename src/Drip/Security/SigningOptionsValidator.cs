using Microsoft.Extensions.Options;

namespace Drip.Security;

/// <summary>
/// Checks configured signing keys at start-up, so a bad one stops Drip before any link is signed with it: each
/// <c>Signing:Keys:ID</c> must be base64 of at least <see cref="MinimumBytes"/> bytes that look random (not all
/// zeros, not typed text such as "change-me"), and <c>Signing:CurrentKeyId</c> must name one of them. Messages name
/// the setting, never the key.
/// </summary>
public sealed class SigningOptionsValidator : IValidateOptions<SigningOptions>
{
    public const int MinimumBytes = 32;

    /// <summary>
    /// 32 random bytes take 22 or more distinct values in practice (about 30 on average); a placeholder or a repeated
    /// pattern takes far fewer. A typed phrase is caught by its bytes all being printable text, which 32 random bytes
    /// are about once in 10^14.
    /// </summary>
    public const int MinimumDistinctBytes = 16;

    public ValidateOptionsResult Validate(string? name, SigningOptions options)
    {
        var problems = Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    public static IEnumerable<string> Problems(SigningOptions options)
    {
        foreach (var (id, value) in options.Keys)
        {
            if (Problem(value) is { } problem)
            {
                yield return $"{SigningOptions.Section}:Keys:{id} {problem}. Make one with 'openssl rand -base64 32' and set it in the environment (Signing__Keys__{id}).";
            }
        }
        if (options.CurrentKeyId is { } current && !options.Keys.ContainsKey(current))
        {
            yield return $"{SigningOptions.Section}:CurrentKeyId names '{current}', which is not among Signing:Keys.";
        }
    }

    private static string? Problem(string value)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return "is not base64";
        }
        if (key.Length < MinimumBytes)
        {
            return $"is {key.Length} bytes long; it must be at least {MinimumBytes} random bytes";
        }
        if (key.Distinct().Count() < MinimumDistinctBytes || key.All(b => b is >= 0x20 and < 0x7F))
        {
            return "is not random (a placeholder, a repeated pattern or a typed phrase)";
        }
        return null;
    }
}
