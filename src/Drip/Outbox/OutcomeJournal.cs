using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Drip.Changes;
using Drip.History;

namespace Drip.Outbox;

/// <summary>
/// Where the dispatcher records a send's outcome the moment the server answers. Each outcome is appended to a file
/// in one write and is then safe from a crash of the process; the outcomes are written to the store together, once
/// a batch is done or a second has passed, in one transaction. Writing each letter's outcome to the store on its own
/// cost a transaction per letter (or per few letters) and was most of the dispatcher's CPU; appending a line costs a
/// system call. A process that dies leaves its last outcomes in the file, and <see cref="Recover"/> writes them to the
/// store at the next start, before anything is claimed, so a crash repeats no more letters than before: the one per
/// connection whose answer had not yet been appended.
/// </summary>
public sealed class OutcomeJournal : IDisposable
{
    /// <summary>The longest an outcome waits in the journal before it is in the store (what the admin pages see).</summary>
    public static readonly TimeSpan HoldAtMost = TimeSpan.FromSeconds(1);

    private const string Pattern = "outcomes-*.jsonl";

    private readonly string? _folder;
    private readonly GroupCommit _commits;
    private readonly IOutboxStore _outbox;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    // Appended to now; sealed ones wait for the store (more than one only after the store refused a write).
    private Segment? _open;
    private readonly List<Segment> _sealed = [];
    private long _sequence;

    /// <summary>
    /// A journal in <paramref name="folder"/>, or with no file when it is null (a store that lives in memory cannot
    /// outlive the process anyway), writing through <paramref name="commits"/> and checking <paramref name="outbox"/> on recovery.
    /// </summary>
    public OutcomeJournal(string? folder, GroupCommit commits, IOutboxStore outbox, TimeProvider clock)
    {
        _folder = folder;
        _commits = commits;
        _outbox = outbox;
        _clock = clock;
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
            _sequence = Files(folder).Select(SequenceOf).DefaultIfEmpty(0).Max();
        }
    }

    private sealed class Segment(string? path, DateTimeOffset opened)
    {
        public string? Path { get; } = path;

        public DateTimeOffset Opened { get; } = opened;

        // Unbuffered: every Write is one write(2), in the system's hands when it returns.
        public FileStream? File { get; } = path is null ? null : new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);

        public ChangeSet Changes { get; } = new();
    }

    /// <summary>A thread's buffer for the journal's lines, kept for the thread's life (a sender thread records every letter it sends).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The JSON writer writes into a managed buffer and holds nothing to release; it lives as long as its thread.")]
    private sealed class LineWriter
    {
        [ThreadStatic]
        private static LineWriter? t_current;

        private readonly ArrayBufferWriter<byte> _line = new(2048);
        private readonly Utf8JsonWriter _json;

        private LineWriter() => _json = new Utf8JsonWriter(_line);

        public static LineWriter Current => t_current ??= new LineWriter();

        /// <summary>The outcome as a line, valid until this thread's next call.</summary>
        public ArrayBufferWriter<byte> Write(Outcome outcome)
        {
            // The line break comes first: if a write fails part-way (a full disk), the next outcome still starts a line of its own.
            _line.ResetWrittenCount();
            _line.Write("\n"u8);
            _json.Reset(_line);
            JsonSerializer.Serialize(_json, outcome, OutcomeJson.Default.Outcome);
            return _line;
        }
    }

    /// <summary>One outcome as a line of the journal: the send's new state, and its timeline line if it has one.</summary>
    internal sealed record Outcome(OutboxEntry Send, HistoryEntry? Line);

    /// <summary>
    /// Records a send's new state and its timeline line (none for a sent letter: the send is its record). When this returns
    /// the outcome survives a crash of the process; it reaches the store with the rest of its batch (<see cref="Flush"/>),
    /// or sooner if it has waited <see cref="HoldAtMost"/> (then this caller writes it, and everything recorded with it).
    /// </summary>
    public void Record(OutboxEntry send, HistoryEntry? line)
    {
        if (line is not null && line.Id == Guid.Empty)
        {
            // Given here, not at the store: replaying the journal must write the same line, not a second one.
            line.Id = HistoryEntry.NewId(line.At);
        }
        // Serialised before taking the lock, into this thread's buffer: the senders queue on the lock for the write alone.
        var text = _folder is null ? null : LineWriter.Current.Write(new Outcome(send, line));
        bool due;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            _open ??= new Segment(_folder is null ? null : Path.Combine(_folder, $"outcomes-{++_sequence:D10}.jsonl"), now);
            _open.File?.Write(text!.WrittenSpan);
            _open.Changes.Sends.Add(send);
            if (line is not null)
            {
                _open.Changes.Lines.Add(line);
            }
            due = now - _open.Opened >= HoldAtMost;
        }
        if (due)
        {
            Flush();
        }
    }

    /// <summary>Writes every outcome recorded so far to the store in one transaction, then forgets its files.</summary>
    public void Flush()
    {
        _flushing.Wait();
        try
        {
            lock (_gate)
            {
                if (_open is not null)
                {
                    _open.File?.Dispose();
                    _sealed.Add(_open);
                    _open = null;
                }
            }
            if (_sealed.Count == 0)
            {
                return;
            }
            var all = new ChangeSet();
            foreach (var segment in _sealed)
            {
                segment.Changes.AddTo(all);
            }
            // If the store refuses, the segments stay (here and on disk) for the next flush, or for Recover after a restart.
            _commits.Write(all);
            foreach (var segment in _sealed)
            {
                if (segment.Path is not null)
                {
                    File.Delete(segment.Path);
                }
            }
            _sealed.Clear();
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>
    /// Writes to the store the outcomes a process that died had recorded but not yet stored, and deletes its files.
    /// Must run before the dispatcher claims anything: those whose outcome is here went out, and the store still has them
    /// due (claims are not stored). Outcomes the
    /// store already holds (the process died between writing them and deleting the file) are left alone. A line cut
    /// short (a write that failed part-way, as on a full disk) is skipped, and that letter goes again.
    /// Returns how many outcomes were written.
    /// </summary>
    public int Recover()
    {
        if (_folder is null)
        {
            return 0;
        }
        var files = Files(_folder).OrderBy(SequenceOf).ToList();
        var changes = Unstored(files, _outbox);
        _commits.Write(changes);
        foreach (var file in files)
        {
            File.Delete(file);
        }
        return changes.Sends.Count;
    }

    /// <summary>
    /// How many outcomes in <paramref name="folder"/> the store does not hold yet: what <see cref="Recover"/> would write
    /// when Drip next sends (for <c>drip check</c>, which reads and changes nothing).
    /// </summary>
    public static int CountUnstored(string folder, IOutboxStore outbox) =>
        Directory.Exists(folder) ? Unstored(Files(folder).ToList(), outbox).Sends.Count : 0;

    private static ChangeSet Unstored(IEnumerable<string> files, IOutboxStore outbox)
    {
        var changes = new ChangeSet();
        foreach (var file in files)
        {
            foreach (var text in File.ReadLines(file))
            {
                if (text.Length == 0 || Parse(text) is not { } outcome)
                {
                    continue;
                }
                var stored = outbox.Find(outcome.Send.Id);
                if (stored is not null && stored.State == outcome.Send.State && stored.Attempts == outcome.Send.Attempts)
                {
                    continue;
                }
                changes.Sends.Add(outcome.Send);
                if (outcome.Line is not null)
                {
                    changes.Lines.Add(outcome.Line);
                }
            }
        }
        return changes;
    }

    private static Outcome? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, OutcomeJson.Default.Outcome);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Files(string folder) => Directory.EnumerateFiles(folder, Pattern);

    private static long SequenceOf(string path) =>
        long.Parse(Path.GetFileNameWithoutExtension(path)["outcomes-".Length..], NumberStyles.None, CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            _open?.File?.Dispose();
        }
        _flushing.Dispose();
    }
}

[JsonSerializable(typeof(OutcomeJournal.Outcome))]
internal sealed partial class OutcomeJson : JsonSerializerContext;
