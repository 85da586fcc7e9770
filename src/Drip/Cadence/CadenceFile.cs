namespace Drip.Cadence;

/// <summary>
/// The frequency caps as <c>templates/cadence.yml</c> sets them, so a marketer can change them in the browser and the
/// change is a file under git like every other cadence rule. A key the file leaves out keeps its <c>Cadence:*</c>
/// configuration value; the engine's tuning (horizon, planning interval, write-ahead) stays in configuration.
/// </summary>
public sealed record CadenceFile(int? MaxPerDay, int? MaxPerWeek, TimeSpan? MinGap, int? FewerPerWeek)
{
    /// <summary>The file's name in the templates folder.</summary>
    public const string FileName = "cadence.yml";

    /// <summary>The configured caps with this file's values laid over them.</summary>
    public FrequencyCaps Over(FrequencyCaps configured) => new()
    {
        MaxPerDay = MaxPerDay ?? configured.MaxPerDay,
        MaxPerWeek = MaxPerWeek ?? configured.MaxPerWeek,
        MinGap = MinGap ?? configured.MinGap,
        FewerPerWeek = FewerPerWeek ?? configured.FewerPerWeek,
        Horizon = configured.Horizon,
        WriteAhead = configured.WriteAhead,
        PlanEvery = configured.PlanEvery,
    };
}
