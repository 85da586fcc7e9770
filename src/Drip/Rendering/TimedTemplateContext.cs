using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Drip.Rendering;

/// <summary>
/// A Scriban context that stops a render once it has run longer than its time limit. It reads the clock itself,
/// on the rendering thread, every <see cref="CheckEvery"/> evaluations, so loops and recursion that fans out (each
/// call within the depth limit, but two calls per call) are both caught. A cancellation timer was used before: it needs
/// a free thread-pool thread to fire, and on a machine busy rendering a batch on every core it fired only after
/// a runaway render had finished.
/// </summary>
internal sealed class TimedTemplateContext(ScriptObject builtins, TimeProvider clock, TimeSpan limit) : TemplateContext(builtins)
{
    // Reading the clock costs about as much as evaluating a small node; one look per 64 keeps it out of the profile.
    private const int CheckEvery = 64;

    private readonly long _limitTicks = (long)(limit.TotalSeconds * clock.TimestampFrequency);
    private long _deadline;
    private int _untilCheck;

    /// <summary>Starts the clock for one render.</summary>
    public void Start()
    {
        _deadline = clock.GetTimestamp() + _limitTicks;
        _untilCheck = CheckEvery;
    }

    public override object? Evaluate(ScriptNode? scriptNode, bool aliasReturnedFunction)
    {
        if (--_untilCheck <= 0)
        {
            _untilCheck = CheckEvery;
            if (clock.GetTimestamp() > _deadline)
            {
                throw new ScriptRuntimeException(scriptNode?.Span ?? CurrentSpan, $"took longer than {limit.TotalSeconds:0.#} s");
            }
        }
        return base.Evaluate(scriptNode, aliasReturnedFunction);
    }
}
