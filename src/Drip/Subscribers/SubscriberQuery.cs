using System.Buffers.Text;
using Drip.Engagement;

namespace Drip.Subscribers;

/// <summary>
/// One page of a subscriber search: free text, status, engagement and one custom field, read in id order
/// after a keyset cursor. The free text is a case-insensitive <em>prefix</em> of the email, the first name or the
/// last name: each of those is indexed, so a prefix is a range read of an index, where "contains" could only be
/// answered by reading every subscriber.
/// </summary>
public sealed record SubscriberQuery
{
    public const int MaxLimit = 200;

    public string? Text { get; init; }

    public SubscriberStatus? Status { get; init; }

    /// <summary>Made by <see cref="EngagementJudge.Window"/>, which owns the rule for the levels.</summary>
    public EngagementWindow? Engagement { get; init; }

    /// <summary>A custom field that must equal a value (case-insensitively): a segment such as <c>city=Kazan</c>.</summary>
    public FieldCondition? Field { get; init; }

    /// <summary>Only subscribers whose id comes after this one: the keyset cursor of the previous page.</summary>
    public Guid? After { get; init; }

    public int Limit { get; init; } = 50;

    /// <summary>Field keys are what the importer makes of column names: letters, digits and underscores.</summary>
    public static bool IsFieldKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= 100 && key.All(c => char.IsLetterOrDigit(c) || c == '_');
}

/// <summary>A custom field equal to a value, e.g. <c>city</c> = <c>Kazan</c>.</summary>
public sealed record FieldCondition(string Key, string Value)
{
    /// <summary>Parses <c>key:value</c> or <c>key=value</c>; null when it is neither or the key is not a field key.</summary>
    public static FieldCondition? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var split = text.IndexOfAny([':', '=']);
        if (split <= 0)
        {
            return null;
        }
        var key = text[..split].Trim();
        return SubscriberQuery.IsFieldKey(key) ? new FieldCondition(key, text[(split + 1)..].Trim()) : null;
    }

    public override string ToString() => $"{Key}:{Value}";
}

/// <summary>A page of subscribers and the cursor of the next one (null on the last page).</summary>
public sealed record SubscriberPage(IReadOnlyList<Subscriber> Items, Guid? NextAfter)
{
    public string? NextCursor => NextAfter is { } id ? SubscriberCursor.Encode(id) : null;
}

/// <summary>
/// The keyset cursor as callers see it: the last id of a page in URL-safe base64. Opaque on purpose, so the
/// order behind it can change without breaking links anyone kept.
/// </summary>
public static class SubscriberCursor
{
    public static string Encode(Guid after) => Base64Url.EncodeToString(after.ToByteArray());

    public static bool TryDecode(string? cursor, out Guid after)
    {
        after = Guid.Empty;
        if (cursor is not { Length: 22 } || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[16];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 16)
        {
            return false;
        }
        after = new Guid(bytes);
        return true;
    }
}
