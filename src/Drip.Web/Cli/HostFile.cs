using System.Text.Json;

namespace Drip.Web.Cli;

/// <summary>The note a serving host leaves in the data folder: where it listens and the token its CLI may use.</summary>
internal static class HostFile
{
    public sealed record Info(string Url, string Token, int Pid);

    private static string PathIn(string dataPath) => Path.Combine(dataPath, "host.json");

    public static void Write(string dataPath, Info info)
    {
        Directory.CreateDirectory(dataPath);
        var path = PathIn(dataPath);
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(temp, JsonSerializer.Serialize(info));
        File.Move(temp, path, overwrite: true);
    }

    public static Info? Read(string dataPath)
    {
        try
        {
            return JsonSerializer.Deserialize<Info>(File.ReadAllText(PathIn(dataPath)));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static void Delete(string dataPath)
    {
        try
        {
            File.Delete(PathIn(dataPath));
        }
        catch (IOException)
        {
            // Best effort: a stale file is detected by the failed connection anyway.
        }
    }
}
