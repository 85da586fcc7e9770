using System.ComponentModel.DataAnnotations;

namespace Drip.Delivery;

/// <summary>The public address of this Drip instance, used to build links in letters (section <c>Public</c>).</summary>
public sealed class PublicOptions : IValidatableObject
{
    public const string Section = "Public";

    [Required]
    public string BaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>Named links letters may use as <c>{{ links.NAME }}</c> (a survey, the shop).</summary>
    public Dictionary<string, string> Links { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"Public:BaseUrl '{BaseUrl}' must be an absolute http(s) URL", [nameof(BaseUrl)]);
        }
        foreach (var (name, url) in Links)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var link) || link.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult($"Public:Links:{name} '{url}' must be an absolute http(s) URL", [nameof(Links)]);
            }
        }
    }
}
