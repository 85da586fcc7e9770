using Drip.Letters;

namespace Drip.UnitTests;

/// <summary>A throw-away templates folder with the shipped layouts, for tests that write their own letters.</summary>
public sealed class TemplateFolder : IDisposable
{
    public TemplateFolder()
    {
        Root = Path.Combine(Directory.CreateTempSubdirectory("drip-templates-").FullName, "templates");
        foreach (var folder in new[] { "layouts", "letters", "sequences", "partials" })
        {
            Directory.CreateDirectory(Path.Combine(Root, folder));
        }
        foreach (var layout in Directory.GetFiles(Path.Combine(Shipped, "layouts")))
        {
            File.Copy(layout, Path.Combine(Root, "layouts", Path.GetFileName(layout)));
        }
    }

    public string Root { get; }

    /// <summary>The repository's templates folder.</summary>
    public static string Shipped
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Drip.sln")))
            {
                dir = dir.Parent;
            }
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Drip.sln not found"), "templates");
        }
    }

    public TemplateFolder Letter(string id, string body, string subject = "Hello", string kind = "useful")
    {
        File.WriteAllText(Path.Combine(Root, "letters", id + ".md"), $"---\nsubject: \"{subject}\"\nkind: {kind}\n---\n{body}");
        return this;
    }

    public TemplateFolder Add(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return this;
    }

    public TemplateLibrary Load() => TemplateLibrary.Load(Root);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
}
