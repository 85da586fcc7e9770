namespace Drip.Changes;

/// <summary>
/// Writes change sets by group commit: a caller hands in its changes and waits until they are written; whoever
/// writes takes every change set handed in meanwhile and writes them as one, so the store sees one transaction
/// (and one flush to disk) per group instead of several per caller. Under load (a broadcast's workers recording
/// outcomes while hundreds of readers unsubscribe) the groups grow and the store's lock is taken less often;
/// alone, a caller writes at once. A caller returns only once its own changes are stored, so nothing it
/// answered for can be lost to a crash.
/// </summary>
public sealed class GroupCommit(IChangeWriter store) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private List<Pending> _waiting = [];

    private sealed class Pending(ChangeSet changes)
    {
        public ChangeSet Changes { get; } = changes;

        public bool Written { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <summary>Returns once <paramref name="changes"/> are in the store.</summary>
    public async Task WriteAsync(ChangeSet changes)
    {
        var mine = Enter(changes);
        await _writer.WaitAsync();
        Lead(mine);
    }

    /// <summary>The same as <see cref="WriteAsync"/> for callers that are not asynchronous (bounces, purges, replies).</summary>
    public void Write(ChangeSet changes)
    {
        var mine = Enter(changes);
        _writer.Wait();
        Lead(mine);
    }

    private Pending Enter(ChangeSet changes)
    {
        var mine = new Pending(changes);
        lock (_gate)
        {
            _waiting.Add(mine);
        }
        return mine;
    }

    // Holding the writer's turn: write everything waiting, unless an earlier writer already took ours along.
    private void Lead(Pending mine)
    {
        try
        {
            if (!mine.Written)
            {
                List<Pending> group;
                lock (_gate)
                {
                    (group, _waiting) = (_waiting, []);
                }
                WriteGroup(group);
            }
        }
        finally
        {
            _writer.Release();
        }
        if (mine.Failure is { } failure)
        {
            throw new InvalidOperationException($"the store refused a write: {failure.Message}", failure);
        }
    }

    private void WriteGroup(List<Pending> group)
    {
        var all = new ChangeSet();
        foreach (var pending in group)
        {
            pending.Changes.AddTo(all);
        }
        try
        {
            store.Write(all);
        }
        catch (Exception e)
        {
            foreach (var pending in group)
            {
                pending.Failure = e;
            }
        }
        foreach (var pending in group)
        {
            pending.Written = true;
        }
    }

    public void Dispose() => _writer.Dispose();
}
