namespace Drip.Rendering;

/// <summary>
/// The opening line of a letter in the subscriber's language: by name (and patronymic) when known,
/// politely without one when not. Formal address by default (DOMAIN §2).
/// </summary>
public static class Greeting
{
    public static string For(string? name, string? locale)
    {
        // The language is the tag's first part, "ru" of "ru-RU": read in place, not split and lower-cased (once a letter).
        var tag = (locale ?? "en").AsSpan();
        var lang = tag[..(tag.IndexOfAny('-', '_') is var end and >= 0 ? end : tag.Length)];
        var known = !string.IsNullOrWhiteSpace(name);
        if (lang.Equals("ru", StringComparison.OrdinalIgnoreCase))
        {
            return known ? $"Здравствуйте, {name}!" : "Здравствуйте!";
        }
        if (lang.Equals("uk", StringComparison.OrdinalIgnoreCase))
        {
            return known ? $"Добрий день, {name}!" : "Добрий день!";
        }
        return known ? $"Dear {name}," : "Hello,";
    }
}
