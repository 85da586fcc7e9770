using System.ComponentModel.DataAnnotations;

namespace Drip.Storage;

/// <summary>Where Drip keeps its data (section <c>Storage</c>).</summary>
public sealed class StoreOptions
{
    public const string Section = "Storage";

    /// <summary>Folder for the LiteDB file, generated keys and the pickup folder; relative to the working directory.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    public string DatabaseFile => Path.Combine(DataPath, "drip.db");

    /// <summary>Where the dispatcher's outcome journal keeps what it has not yet written to the store.</summary>
    public string OutcomesFolder => Path.Combine(DataPath, "outcomes");
}
