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

    /// <summary>
    /// Custom fields the subscriber search finds through an index (e.g. <c>city</c>): a filter on one of them answers from
    /// the index, where on any other field it reads every subscriber it passes. Each costs a little on every import and edit.
    /// </summary>
    public List<string> IndexedFields { get; set; } = [];

    /// <summary>Where the dispatcher's outcome journal keeps what it has not yet written to the store.</summary>
    public string OutcomesFolder => Path.Combine(DataPath, "outcomes");
}
