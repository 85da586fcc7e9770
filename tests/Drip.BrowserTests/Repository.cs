namespace Drip.BrowserTests;

/// <summary>Where the repository is, found from the test binaries by walking up to Drip.sln.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Screenshots land here, under TestResults so CI keeps them with the test results.</summary>
    public static string ScreenshotsFolder => Path.Combine(Root, "TestResults", "screenshots");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Drip.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Drip.sln not found above the test folder");
    }
}
