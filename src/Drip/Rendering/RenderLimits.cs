namespace Drip.Rendering;

/// <summary>The sandbox around marketer-written templates: how far a template may loop, recurse, write and run.</summary>
public sealed class RenderLimits
{
    public int LoopLimit { get; set; } = 1000;

    public int RecursionLimit { get; set; } = 50;

    public int MaxOutputChars { get; set; } = 512 * 1024;

    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);
}
