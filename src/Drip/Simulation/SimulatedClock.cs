namespace Drip.Simulation;

/// <summary>A clock the simulation moves by hand, so eight weeks pass in seconds.</summary>
public sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
