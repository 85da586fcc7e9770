using System.ComponentModel.DataAnnotations;
using Drip.Rendering;

namespace Drip.Letters;

/// <summary>Where letters, sequences and layouts live, and the sandbox limits for rendering them (section <c>Templates</c>).</summary>
public sealed class TemplatesOptions
{
    public const string Section = "Templates";

    [Required]
    public string Path { get; set; } = "templates";

    public RenderLimits Limits { get; set; } = new();

    /// <summary>The kinds a letter may be; empty means news, useful, personal and offer.</summary>
    public List<string> Kinds { get; set; } = [];

    public IReadOnlyList<string> EffectiveKinds => Kinds.Count > 0 ? Kinds.Select(k => k.Trim().ToLowerInvariant()).ToList() : LetterKinds.Default;
}
