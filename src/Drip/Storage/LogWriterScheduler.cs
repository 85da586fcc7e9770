using System.Collections.Concurrent;

namespace Drip.Storage;

/// <summary>
/// One thread that LiteDB's log writer runs on, and on which nothing else ever runs inline. LiteDB 5.0.18–5.0.20 start
/// their log writer as a task on the current scheduler and wake it by completing a task: on the default scheduler the
/// writer then runs on the committing thread itself, writes the one page just queued, finds the queue empty and
/// fsyncs, once per page (litedb-org/LiteDB#2451). Started from this scheduler, the writer keeps its own thread: while
/// it fsyncs, the commit queues more pages, and the next drain writes them all before the next fsync.
/// </summary>
internal sealed class LogWriterScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = [];
    private readonly Thread _thread;

    public LogWriterScheduler(string name)
    {
        _thread = new Thread(() =>
        {
            foreach (var task in _tasks.GetConsumingEnumerable())
            {
                TryExecuteTask(task);
            }
        })
        { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on this scheduler's thread and waits for it.</summary>
    public T Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, this).GetAwaiter().GetResult();

    protected override void QueueTask(Task task) => _tasks.Add(task);

    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    public void Dispose()
    {
        _tasks.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        _tasks.Dispose();
    }
}
