using System.Globalization;
using Drip.Letters;

namespace Drip.Bench.Scale;

/// <summary>The verbs for rendering, importing and the admin queries at scale: each prints its table and hands back its figures.</summary>
internal static class ScaleVerbs
{
    public static IReadOnlyList<BenchFigure>? Last { get; private set; }

    public static int Render(string[] args, TemplateLibrary library) =>
        Print("render", RenderBench.Run(library.Root, Arg(args, "--letters", 20_000), Arg(args, "--repeats", 3)));

    public static int Import(string[] args, int subscribers) =>
        Print($"import of {subscribers:N0} rows", ImportBench.Run(subscribers, Text(args, "--indexed-fields")?.Split(',') ?? []));

    public static int Admin(string[] args, TemplateLibrary library, int subscribers) =>
        Print($"admin queries at {subscribers:N0} subscribers", AdminBench.Run(library, subscribers, Arg(args, "--samples", 20), Text(args, "--keep")));

    private static int Print(string title, IReadOnlyList<BenchFigure> figures)
    {
        Last = figures;
        BenchTable.Print(title, figures);
        return 0;
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
