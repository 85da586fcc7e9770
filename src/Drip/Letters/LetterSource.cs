namespace Drip.Letters;

/// <summary>A program, sequence or date letter and the letters it sends; <see cref="Source"/> is as the outbox names it.</summary>
public sealed record LetterSource(string Source, string Name, IReadOnlyList<string> LetterIds);
