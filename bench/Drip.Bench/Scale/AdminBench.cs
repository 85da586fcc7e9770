namespace Drip.Bench.Scale;
internal static class AdminBench
{
    public static IReadOnlyList<BenchFigure> Run(Drip.Letters.TemplateLibrary library, int subscribers, int samples) => [];
}
