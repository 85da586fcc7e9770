using System.Text;
using Drip.Rendering;

namespace Drip.UnitTests.Rendering;

/// <summary>The small text functions every letter runs on each subscriber value: Markdown escaping and the greeting.</summary>
public sealed class TextValuesTests
{
    /// <summary>The escaping rule character by character, as <see cref="MarkdownEscaper"/> states it.</summary>
    private static string EscapedOneByOne(string value)
    {
        var escaped = new StringBuilder();
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
            }
            else if (c < 128 && char.IsPunctuation(c) || c is '<' or '>' or '`' or '|' or '+' or '=' or '^' or '~' or '$')
            {
                escaped.Append('\\').Append(c);
            }
            else
            {
                escaped.Append(c);
            }
        }
        return escaped.ToString();
    }

    [Fact]
    public void Every_ascii_character_is_escaped_by_the_rule_alone_and_with_neighbours()
    {
        for (var c = (char)0; c < 128; c++)
        {
            Assert.Equal(EscapedOneByOne(c.ToString()), MarkdownEscaper.Escape(c.ToString()));
            Assert.Equal(EscapedOneByOne($"Ada{c}Lovelace"), MarkdownEscaper.Escape($"Ada{c}Lovelace"));
        }
    }

    [Theory]
    [InlineData("Ada")]
    [InlineData("Анна Петровна")]
    [InlineData("José Ñúñez 🎄")]
    public void A_value_with_nothing_to_escape_is_returned_as_it_is(string value) =>
        Assert.Same(value, MarkdownEscaper.Escape(value));

    [Theory]
    [InlineData("ada@example.org", "ada\\@example\\.org")]
    [InlineData("[win](http://evil.example)", "\\[win\\]\\(http\\:\\/\\/evil\\.example\\)")]
    [InlineData("two\r\nlines", "two  lines")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Values_with_markdown_in_them_are_made_inert(string? value, string expected) =>
        Assert.Equal(expected, MarkdownEscaper.Escape(value));

    [Theory]
    [InlineData("Анна", "ru", "Здравствуйте, Анна!")]
    [InlineData("Анна", "RU-ru", "Здравствуйте, Анна!")]
    [InlineData("Анна", "ru_RU", "Здравствуйте, Анна!")]
    [InlineData(null, "ru", "Здравствуйте!")]
    [InlineData("Оксана", "uk-UA", "Добрий день, Оксана!")]
    [InlineData(" ", "uk", "Добрий день!")]
    [InlineData("Ada", "en-GB", "Dear Ada,")]
    [InlineData("Ada", null, "Dear Ada,")]
    [InlineData("Ada", "", "Dear Ada,")]
    [InlineData("Ada", "russian", "Dear Ada,")]
    [InlineData(null, null, "Hello,")]
    public void The_greeting_is_in_the_language_of_the_locale_s_first_part(string? name, string? locale, string expected) =>
        Assert.Equal(expected, Greeting.For(name, locale));
}
