namespace Drip.Rendering;

/// <summary>
/// The opening line of a letter in the subscriber's language: by name (and patronymic) when known,
/// politely without one when not. Formal address by default (DOMAIN §2).
/// </summary>
public static class Greeting
{
    public static string For(string? name, string? locale)
    {
        var lang = (locale ?? "en").Split('-', '_')[0].ToLowerInvariant();
        var known = !string.IsNullOrWhiteSpace(name);
        return lang switch
        {
            "ru" => known ? $"Здравствуйте, {name}!" : "Здравствуйте!",
            "uk" => known ? $"Добрий день, {name}!" : "Добрий день!",
            _ => known ? $"Dear {name}," : "Hello,",
        };
    }
}
