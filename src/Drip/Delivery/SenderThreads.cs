using System.Collections.Concurrent;

namespace Drip.Delivery;

/// <summary>
/// The threads the dispatcher's workers run on. A session blocks on its socket (see <see cref="ITransportSession"/>), so
/// each worker needs a thread of its own; these are kept for the dispatcher's life and started the first time a batch
/// needs them. A thread started for every batch cost the simulator a sixth of its time, where a batch is often one or
/// two letters.
/// </summary>
internal sealed class SenderThreads : IDisposable
{
    private readonly BlockingCollection<Job> _jobs = new();
    private readonly List<Thread> _threads = [];
    private readonly Lock _gate = new();

    private sealed record Job(Action Work, TaskCompletionSource Done);

    /// <summary>
    /// Runs <paramref name="work"/> <paramref name="count"/> times at once, each on a thread of its own; the task ends when
    /// all have returned, faulted with the first failure if one threw.
    /// </summary>
    public Task RunAll(int count, Action work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_jobs.IsAddingCompleted, this);
            // Every job of the batch before has ended before the next batch comes, so each waiting thread takes one job.
            while (_threads.Count < count)
            {
                var thread = new Thread(Serve) { IsBackground = true, Name = $"drip-sender-{_threads.Count + 1}" };
                thread.Start();
                _threads.Add(thread);
            }
        }
        var done = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var job = new Job(work, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _jobs.Add(job);
            done.Add(job.Done.Task);
        }
        return Task.WhenAll(done);
    }

    private void Serve()
    {
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            try
            {
                job.Work();
                job.Done.SetResult();
            }
            catch (Exception e)
            {
                job.Done.SetException(e);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _jobs.CompleteAdding();
        }
        // Idle between passes, so they end at once; a pass still running (a stop that did not wait) ends its letters first.
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _jobs.Dispose();
    }
}
