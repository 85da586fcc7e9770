using System.ComponentModel.DataAnnotations;

namespace Drip.Cadence;

/// <summary>
/// Per-subscriber limits across every program, sequence and date letter (section <c>Cadence</c>).
/// Urgent letters are never held back by them but count toward them.
/// </summary>
public sealed class FrequencyCaps : IValidatableObject
{
    public const string Section = "Cadence";

    [Range(1, 10)]
    public int MaxPerDay { get; set; } = 1;

    [Range(1, 50)]
    public int MaxPerWeek { get; set; } = 3;

    /// <summary>The weekly cap for someone who chose "fewer letters" on the preference page.</summary>
    [Range(1, 50)]
    public int FewerPerWeek { get; set; } = 1;

    /// <summary>The least time between two marketing letters to one person.</summary>
    public TimeSpan MinGap { get; set; } = TimeSpan.FromHours(20);

    /// <summary>How far ahead program letters are planned; date letters are planned further, so they claim their day first.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Planned letters due within this are written to the outbox; later ones are decided again on each
    /// pass and written when they come this close. Must exceed <see cref="PlanEvery"/> with room to spare.
    /// </summary>
    public TimeSpan WriteAhead { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often the scheduler re-plans programs and date letters for everyone.</summary>
    public TimeSpan PlanEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The caps for one subscriber: theirs are tighter when they asked for fewer letters.</summary>
    public FrequencyCaps For(Subscribers.Subscriber subscriber) => subscriber.FewerLetters && FewerPerWeek < MaxPerWeek
        ? new FrequencyCaps
        {
            MaxPerDay = MaxPerDay, MaxPerWeek = FewerPerWeek, FewerPerWeek = FewerPerWeek, MinGap = MinGap, Horizon = Horizon,
            WriteAhead = WriteAhead, PlanEvery = PlanEvery,
        }
        : this;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (WriteAhead < 2 * PlanEvery)
        {
            yield return new ValidationResult(
                $"Cadence:WriteAhead ({WriteAhead}) must be at least twice Cadence:PlanEvery ({PlanEvery}), or letters could be written too late",
                [nameof(WriteAhead)]);
        }
        if (Horizon < WriteAhead)
        {
            yield return new ValidationResult($"Cadence:Horizon ({Horizon}) must not be shorter than Cadence:WriteAhead ({WriteAhead})", [nameof(Horizon)]);
        }
    }
}
