namespace Drip.Storage;

/// <summary>The store is open in another Drip process (LiteDB files must have exactly one).</summary>
public sealed class StoreLockedException : StoreException
{
    public StoreLockedException(string path, Exception? inner = null)
        : base($"{path} is in use by another Drip process (is 'drip serve' running?). Run the command against that process instead, or stop it first.", inner)
    {
        Path = path;
    }

    public string Path { get; } = "";
}
