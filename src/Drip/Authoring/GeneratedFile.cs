using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Letters;

namespace Drip.Authoring;

/// <summary>
/// A template file written from a form: its text, and for each line the form field it came from, so a lint
/// problem at <c>file:line:column</c> can be shown next to the field that caused it.
/// </summary>
public sealed record GeneratedFile(string Text, IReadOnlyList<string?> FieldOfLine)
{
    /// <summary>
    /// Splits lint problems into those about a field of this file (by the line they point at) and the rest, which the
    /// form lists as they are: problems elsewhere in the folder, or at a line no field owns.
    /// </summary>
    /// <param name="problems">What lint said of the folder with this file in it.</param>
    /// <param name="shownPath">The file as problems name it, e.g. <c>templates/programs/weekly.yml</c>.</param>
    public FieldProblems Sort(IReadOnlyList<TemplateProblem> problems, string shownPath)
    {
        var byField = new Dictionary<string, string>(StringComparer.Ordinal);
        var other = new List<TemplateProblem>();
        foreach (var problem in problems)
        {
            var field = string.Equals(problem.File, shownPath, StringComparison.Ordinal) && problem.Line >= 1 && problem.Line <= FieldOfLine.Count
                ? FieldOfLine[problem.Line - 1]
                : null;
            if (field is null)
            {
                other.Add(problem);
            }
            else
            {
                byField[field] = byField.TryGetValue(field, out var before) ? before + "; " + problem.Message : problem.Message;
            }
        }
        return new FieldProblems(byField, other);
    }
}

/// <summary>What is wrong with a form: messages by field name, and problems no field owns.</summary>
public sealed record FieldProblems(IReadOnlyDictionary<string, string> ByField, IReadOnlyList<TemplateProblem> Other)
{
    public static readonly FieldProblems None = new(new Dictionary<string, string>(), []);

    public bool Any => ByField.Count > 0 || Other.Count > 0;
}

/// <summary>Writes a small YAML file line by line, remembering which field each line belongs to.</summary>
internal sealed partial class YamlWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<string?> _fields = [];

    public YamlWriter Comment(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            Line("# " + line, null);
        }
        return this;
    }

    public YamlWriter Line(string line, string? field)
    {
        _text.Append(line.TrimEnd()).Append('\n');
        _fields.Add(field);
        return this;
    }

    public YamlWriter Key(string key, string value, string field) => Line($"{key}: {Scalar(value)}", field);

    public GeneratedFile Build() => new(_text.ToString(), _fields);

    /// <summary>A value as YAML: plain when it cannot be misread, otherwise double-quoted with escapes.</summary>
    public static string Scalar(string value)
    {
        if (Plain().IsMatch(value) && !value.Contains(": ", StringComparison.Ordinal) && !value.Contains(" #", StringComparison.Ordinal)
            && !value.EndsWith(':'))
        {
            return value;
        }
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }

    // Starts with a letter or digit, then nothing YAML gives a meaning to (no quotes, brackets, braces, commas, anchors, tags).
    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} _.:/()+'-]*$")]
    private static partial Regex Plain();
}
