using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Drip.Authoring;

/// <summary>Reads a template file's values as the text they are, for a form; what they mean is lint's business.</summary>
internal static class DraftYaml
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The file's values; a file the form cannot show (bad YAML, an unknown key) throws <see cref="FormatException"/>.</summary>
    public static T Read<T>(string text) where T : new()
    {
        try
        {
            return Yaml.Deserialize<T>(text) ?? new T();
        }
        catch (YamlException e)
        {
            throw new FormatException($"line {e.Start.Line}: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>A whole number as the form had it, or an error for the field.</summary>
    public static void WholeNumber(Dictionary<string, string> errors, string field, string value, bool optional = false)
    {
        if (optional && value.Length == 0)
        {
            return;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            errors[field] = $"'{value}' is not a whole number";
        }
    }
}
