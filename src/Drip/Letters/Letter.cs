using Scriban;

namespace Drip.Letters;

/// <summary>
/// An authored letter from <c>templates/letters/</c>: front matter (subject, kind, size, preheader)
/// and a Markdown body with Scriban expressions, parsed once. Immutable and thread-safe.
/// </summary>
public sealed class Letter
{
    public required string Id { get; init; }

    public required string Path { get; init; }

    /// <summary>What the letter is for, lower-case: news, useful, personal, offer, or a configured kind.</summary>
    public required string Kind { get; init; }

    /// <summary>Optional size label (short, long) used by cadence windows.</summary>
    public string? Size { get; init; }

    public required Template Subject { get; init; }

    /// <summary>The subject line as written in the front matter, before rendering.</summary>
    public string SubjectSource { get; init; } = "";

    public Template? Preheader { get; init; }

    public required Template Body { get; init; }

    /// <summary>The layout pair (<c>layouts/NAME.html.sbn</c>, <c>NAME.txt.sbn</c>) that wraps the body.</summary>
    public string Layout { get; init; } = "base";

    /// <summary>1-based line in the file where the body starts, so body errors point at the right line.</summary>
    public int BodyLine { get; init; }
}
