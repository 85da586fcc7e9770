using Drip.History;
using Drip.Outbox;

namespace Drip.Delivery;

/// <summary>
/// Writes what happened to each send (its outbox state and its line in the subscriber's history) by group
/// commit: a worker hands in its outcome and waits until it is written; whoever writes takes every outcome
/// handed in meanwhile, so the store sees one transaction per group instead of two writes per letter (each
/// with its own flush to disk). A worker still waits for its own outcome before the next send, so a crash
/// repeats at most one letter per connection.
/// </summary>
internal sealed class SendRecorder(IOutboxStore outbox, IHistoryStore history) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private List<Outcome> _waiting = [];

    private sealed class Outcome(OutboxEntry entry, HistoryEntry? line)
    {
        public OutboxEntry Entry { get; } = entry;

        public HistoryEntry? Line { get; } = line;

        public bool Written { get; set; }

        public Exception? Failure { get; set; }
    }

    /// <summary>Returns once the entry's state, and <paramref name="line"/> when given, are in the store.</summary>
    public async Task RecordAsync(OutboxEntry entry, HistoryEntry? line)
    {
        var mine = new Outcome(entry, line);
        lock (_gate)
        {
            _waiting.Add(mine);
        }
        await _writer.WaitAsync();
        try
        {
            if (!mine.Written)
            {
                List<Outcome> group;
                lock (_gate)
                {
                    (group, _waiting) = (_waiting, []);
                }
                Write(group);
            }
        }
        finally
        {
            _writer.Release();
        }
        if (mine.Failure is { } failure)
        {
            throw new InvalidOperationException($"recording send {entry.Id} failed: {failure.Message}", failure);
        }
    }

    private void Write(List<Outcome> group)
    {
        var entries = new List<OutboxEntry>(group.Count);
        var lines = new List<HistoryEntry>(group.Count);
        foreach (var outcome in group)
        {
            entries.Add(outcome.Entry);
            if (outcome.Line is { } line)
            {
                lines.Add(line);
            }
        }
        try
        {
            // The state first: it is what stops a repeat; a history line lost to a crash in between is only a line.
            outbox.Update(entries);
            if (lines.Count > 0)
            {
                history.Append(lines);
            }
        }
        catch (Exception e)
        {
            foreach (var outcome in group)
            {
                outcome.Failure = e;
            }
        }
        foreach (var outcome in group)
        {
            outcome.Written = true;
        }
    }

    public void Dispose() => _writer.Dispose();
}
