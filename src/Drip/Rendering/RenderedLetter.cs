namespace Drip.Rendering;

/// <summary>A letter as one subscriber will read it: subject line, HTML and plain-text bodies.</summary>
public sealed record RenderedLetter(string Subject, string? Preheader, string Html, string Text);
