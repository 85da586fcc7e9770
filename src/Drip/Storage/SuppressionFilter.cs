using System.Globalization;

namespace Drip.Storage;

/// <summary>
/// Which address hashes may have a suppression, held in memory so that a batch read (an import's 5,000 rows, a send
/// batch's recipients) looks up only those that may, not every address: most addresses never left, and each lookup is a
/// walk of the suppression index (a tenth of a million-row import went into them). Built from the store on first use;
/// from then on every suppression written through this process is added <em>before</em> it is written, so anything stored
/// is in here by the time a reader asks. A lifted suppression stays in (a needless lookup, never a missed one).
/// Memory: 8 bytes of each hash (about 30 MB for a million suppressions).
/// </summary>
internal sealed class SuppressionFilter(Func<IEnumerable<string>> storedHashes)
{
    private readonly Lock _gate = new();
    private readonly HashSet<ulong> _held = [];
    private bool _loaded;

    /// <summary>Called by every writer of suppressions, before the write.</summary>
    public void Add(IEnumerable<string> hashes)
    {
        lock (_gate)
        {
            foreach (var hash in hashes)
            {
                _held.Add(Key(hash));
            }
        }
    }

    /// <summary>The hashes among these that may have a suppression; the rest certainly have none.</summary>
    public List<string> MayHold(IEnumerable<string> hashes)
    {
        if (!Volatile.Read(ref _loaded))
        {
            // Read outside the gate (the read takes the store's lock, which a writer may hold while it adds here). Nothing is
            // missed: a suppression stored before this read is in it, and one written after was added here before its write.
            var stored = storedHashes().Select(Key).ToList();
            lock (_gate)
            {
                _held.UnionWith(stored);
                _loaded = true;
            }
        }
        lock (_gate)
        {
            return hashes.Where(h => _held.Contains(Key(h))).ToList();
        }
    }

    // Hashes are SHA-256 in hex: their first 16 digits are as good a key as any. Anything else still gets a key.
    private static ulong Key(string hash) =>
        hash.Length >= 16 && ulong.TryParse(hash.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var key)
            ? key
            : (ulong)(uint)StringComparer.Ordinal.GetHashCode(hash);
}
