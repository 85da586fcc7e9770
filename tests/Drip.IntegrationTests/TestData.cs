namespace Drip.IntegrationTests;

/// <summary>A fresh data folder and mail domain per test, so tests never see each other's letters.</summary>
public sealed class TestData : IDisposable
{
    public string DataPath { get; } = Directory.CreateTempSubdirectory("drip-it-").FullName;

    public string Domain { get; } = $"t{Guid.NewGuid():N}"[..12] + ".example.org";

    public string Email(string local) => $"{local}@{Domain}";

    public void Dispose()
    {
        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a host that is shutting down; the OS temp cleaner takes it.
        }
    }
}
