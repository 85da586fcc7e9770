namespace Drip.Storage;

/// <summary>
/// The store file is there but cannot be read as Drip's store. Drip never replaces or "repairs" it on its own: the
/// file may be the only copy of a list, so the person running Drip decides (restore a backup, or move it away).
/// </summary>
public sealed class StoreDamagedException : StoreException
{
    public StoreDamagedException(string path, string reason, Exception? inner = null)
        : base($"{path} cannot be opened as Drip's store ({reason}). Drip has not changed it. Restore it from a backup " +
               "taken while Drip was stopped, or move it away to start with an empty store.", inner)
    {
        Path = path;
    }

    public string Path { get; }
}

/// <summary>The store cannot be used: in use by another process, or damaged. The message says what to do.</summary>
public abstract class StoreException(string message, Exception? inner) : Exception(message, inner);
