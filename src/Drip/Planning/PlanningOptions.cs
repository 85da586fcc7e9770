using System.ComponentModel.DataAnnotations;

namespace Drip.Planning;

/// <summary>How sequences are placed in time (section <c>Planning</c>).</summary>
public sealed class PlanningOptions : IValidatableObject
{
    public const string Section = "Planning";

    /// <summary>Time zone for subscribers who have none (IANA id).</summary>
    [Required]
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>How often the scheduler plans recorded events that are not planned yet.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(DefaultTimeZone, out _))
        {
            yield return new ValidationResult($"Planning:DefaultTimeZone '{DefaultTimeZone}' is not a known time zone (use an IANA id such as Europe/Moscow)", [nameof(DefaultTimeZone)]);
        }
    }

    public TimeZoneInfo TimeZoneFor(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz) ? tz : TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);
}
