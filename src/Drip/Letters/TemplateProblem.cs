namespace Drip.Letters;

/// <summary>A lint finding, printed as <c>file:line:column: message</c> like a compiler's.</summary>
public sealed record TemplateProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
