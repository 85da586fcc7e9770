using System.Collections.Concurrent;
using System.Security.Cryptography;
using Drip.Subscribers;
using Microsoft.AspNetCore.WebUtilities;

namespace Drip.Web.Admin;

/// <summary>
/// CSV imports started from the admin page, run in the background one at a time (the importer upserts by
/// email and is not safe to run twice at once), each under a random id that its progress page polls.
/// Kept in memory: a restart forgets the reports (the imported subscribers stay); only the latest
/// <see cref="Kept"/> jobs are remembered.
/// </summary>
internal sealed class ImportJobs(SubscriberImporter importer, TimeProvider clock, ILogger<ImportJobs> log) : IDisposable
{
    public const int Kept = 50;

    private readonly ConcurrentDictionary<string, ImportJob> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>Starts importing <paramref name="spool"/> (a temporary file this job deletes when done).</summary>
    public ImportJob Start(string spool, string fileName, string source)
    {
        var job = new ImportJob(WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16)), fileName, new FileInfo(spool).Length, clock.GetUtcNow());
        _jobs[job.Id] = job;
        foreach (var old in _jobs.Values.Where(j => j.Finished).OrderByDescending(j => j.StartedAt).Skip(Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }
        _ = Task.Run(() => RunAsync(job, spool, source));
        return job;
    }

    public ImportJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>The one-at-a-time gate, for tests that need an import to wait.</summary>
    internal SemaphoreSlim Gate => _oneAtATime;

    public void Dispose() => _oneAtATime.Dispose();

    private async Task RunAsync(ImportJob job, string spool, string source)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            await using var csv = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
            job.Begin(csv);
            job.Complete(importer.Import(csv, source, job));
            log.LogInformation("Import {Job} of {File}: {Report}", job.Id, job.FileName, job.Report);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or LiteDB.LiteException)
        {
            log.LogError(e, "Import {Job} of {File} failed", job.Id, job.FileName);
            job.Fail(e.Message);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}

/// <summary>One import's progress, written by the importing thread and read by the pages.</summary>
internal sealed class ImportJob(string id, string fileName, long totalBytes, DateTimeOffset startedAt) : IProgress<ImportProgress>
{
    private Stream? _csv;
    private volatile ImportProgress _progress = new(0, 0, 0, 0, false);
    private long _bytesRead;
    private volatile ImportReport? _report;
    private volatile string? _failure;
    private volatile bool _started;

    public string Id { get; } = id;

    public string FileName { get; } = fileName;

    public long TotalBytes { get; } = totalBytes;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public ImportProgress Progress => _progress;

    public ImportReport? Report => _report;

    public string? Failure => _failure;

    public bool Finished => _report is not null || _failure is not null;

    public string State => _failure is not null ? "failed" : _report is not null ? "done" : _started ? "running" : "waiting";

    /// <summary>How far through the file, by bytes read (rows are of unknown count until the end).</summary>
    public int Percent => Finished ? 100 : TotalBytes == 0 ? 0 : (int)Math.Min(99, 100 * Interlocked.Read(ref _bytesRead) / TotalBytes);

    internal void Begin(Stream csv)
    {
        _csv = csv;
        _started = true;
    }

    // Called on the importing thread once per batch, so reading the stream's position here is safe and cheap.
    void IProgress<ImportProgress>.Report(ImportProgress value)
    {
        _progress = value;
        if (_csv is not null)
        {
            Interlocked.Exchange(ref _bytesRead, _csv.Position);
        }
    }

    internal void Complete(ImportReport report) => _report = report;

    internal void Fail(string reason) => _failure = reason;
}
