namespace Drip.IntegrationTests;

/// <summary>
/// A copy of the repository's templates folder in a temporary folder, for tests that edit templates: point
/// <c>Templates:Path</c> at <see cref="Root"/> and the repository's own files are never touched.
/// </summary>
public sealed class TemplateCopy : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("drip-templates-").FullName;

    public TemplateCopy()
    {
        // Named "templates" like the original, so problems read templates/letters/NAME.md as they do in production.
        Root = Path.Combine(_parent, "templates");
        var source = Path.Combine(DripApplication.RepositoryRoot, "templates");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Root, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Root { get; }

    /// <summary>The full path of a file in the copy, e.g. <c>letters/thank-you.md</c>.</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string Read(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_parent, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a host that is shutting down; the OS temp cleaner takes it.
        }
    }
}
