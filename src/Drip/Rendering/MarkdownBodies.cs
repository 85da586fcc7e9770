using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Drip.Letters;

namespace Drip.Rendering;

/// <summary>A letter body turned from Markdown into its HTML and its plain text.</summary>
internal sealed record MarkdownBody(string Html, string Text);

/// <summary>
/// Remembers, for each letter, the HTML and text made from the Markdown its body rendered to, so the same Markdown is
/// parsed once. Turning Markdown into HTML and text is a pure function of the text (one fixed pipeline), so a body that
/// comes out the same for two readers (one that names no one, or greets two people with the same first name) is the
/// same letter body for both. Parsing was the largest single part of rendering. At most <see cref="PerLetter"/> bodies
/// are kept a letter, the first met; one that names each reader differently (a unique link in the body) is simply
/// parsed every time, as before. A letter edited in the browser or reloaded is a new <see cref="Letter"/>, which
/// starts empty, and the old one's bodies go with it.
/// </summary>
internal sealed class MarkdownBodies
{
    /// <summary>Bodies kept a letter: enough for the common first names of a list, at a few KB each.</summary>
    public const int PerLetter = 256;

    private readonly ConditionalWeakTable<Letter, Bodies> _byLetter = [];

    private sealed class Bodies
    {
        public readonly ConcurrentDictionary<string, MarkdownBody> ByMarkdown = new(StringComparer.Ordinal);
        public int Count;
    }

    /// <summary><paramref name="letter"/>'s body for this Markdown: remembered, or made by <paramref name="make"/> (and remembered while there is room).</summary>
    public MarkdownBody Get(Letter letter, string markdown, Func<string, MarkdownBody> make)
    {
        var bodies = _byLetter.GetValue(letter, static _ => new Bodies());
        if (bodies.ByMarkdown.TryGetValue(markdown, out var body))
        {
            return body;
        }
        body = make(markdown);
        // A place is taken before the body is added, so senders adding at once never keep more than the limit.
        if (Interlocked.Increment(ref bodies.Count) > PerLetter || !bodies.ByMarkdown.TryAdd(markdown, body))
        {
            Interlocked.Decrement(ref bodies.Count);
        }
        return body;
    }
}
