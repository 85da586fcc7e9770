using Drip.Authoring;

namespace Drip.Web;

/// <summary>
/// Notices edits made to <c>templates/</c> outside the browser (a <c>git pull</c>, a text editor) and hands them to
/// <see cref="TemplateEditor.Reload"/>: a clean folder is used at once, a broken one is kept out and logged, and the
/// engine goes on with the last folder that passed lint. Off with <c>Templates:Watch=false</c>.
/// </summary>
internal sealed class TemplateWatcher(TemplateEditor editor, IConfiguration configuration, ILogger<TemplateWatcher> log) : IHostedService, IDisposable
{
    // A checkout writes many files in a burst; wait for it to settle. File-system time, not the engine's clock.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);
    private FileSystemWatcher? _watcher;
    private CancellationTokenSource? _pending;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Templates:Watch", true) || !Directory.Exists(editor.Library.Root))
        {
            return Task.CompletedTask;
        }
        _watcher = new FileSystemWatcher(editor.Library.Root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (e.FullPath.EndsWith(".saving", StringComparison.Ordinal))
        {
            return; // the editor's own temporary file; its rename follows
        }
        var next = new CancellationTokenSource();
        Interlocked.Exchange(ref _pending, next)?.Cancel();
        _ = Task.Delay(Settle, next.Token).ContinueWith(t =>
        {
            if (t.IsCanceled)
            {
                return;
            }
            var problems = editor.Reload();
            if (problems.Count == 0)
            {
                log.LogInformation("Templates changed on disk; now using version {Version}", editor.Library.Version);
                return;
            }
            foreach (var p in problems)
            {
                log.LogError("{Problem}", p.ToString());
            }
            log.LogError("Templates changed on disk but do not pass lint; still sending from the last version that did");
        }, TaskScheduler.Default);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        _pending?.Cancel();
    }
}
