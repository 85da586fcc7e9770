namespace Drip.Letters;

/// <summary>
/// How the library reads the templates folder: the files on disk, with unsaved edits laid over them. An edit
/// can add a file that is not on disk yet, so a new letter is checked as part of the whole folder before it exists.
/// </summary>
internal sealed class TemplateSources(IReadOnlyDictionary<string, string>? edits)
{
    private readonly Dictionary<string, string> _edits = (edits ?? new Dictionary<string, string>())
        .ToDictionary(kv => Path.GetFullPath(kv.Key), kv => kv.Value, StringComparer.Ordinal);

    public bool Exists(string file) => _edits.ContainsKey(Path.GetFullPath(file)) || File.Exists(file);

    public string Read(string file) => _edits.TryGetValue(Path.GetFullPath(file), out var text) ? text : File.ReadAllText(file);

    /// <summary>The files in one folder of the library with the given extension, in name order.</summary>
    public IEnumerable<string> Files(string root, string folder, string extension)
    {
        var dir = Path.Combine(root, folder);
        var onDisk = Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*" + extension) : [];
        var added = _edits.Keys.Where(f => string.Equals(Path.GetDirectoryName(f), dir, StringComparison.Ordinal)
            && f.EndsWith(extension, StringComparison.Ordinal));
        return onDisk.Select(Path.GetFullPath).Concat(added).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
