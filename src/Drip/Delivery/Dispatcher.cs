using System.Collections.Concurrent;
using Drip.Changes;
using Drip.Engagement;
using Drip.Feedback;
using Drip.History;
using Drip.Letters;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using Microsoft.Extensions.Logging;

namespace Drip.Delivery;

/// <summary>
/// Works through the outbox: claims due sends under a lease, checks the subscriber may still be written
/// to, renders, sends through the transport's sessions in parallel, and records each outcome on the send
/// (a sent letter keeps its subject there) and, for every outcome but a sent letter, in the subscriber's history. A send's outcome is recorded (<see cref="OutcomeJournal"/>) right after the server
/// answers and before its worker takes the next letter, so a crash can repeat at most the letters in flight at that instant.
/// Each session's worker runs on a thread of its own (<see cref="SenderThreads"/>) and blocks on its socket (see <see cref="ITransportSession"/>).
/// Batches overlap: the next is claimed while one goes out, and a batch's outcomes reach the store while the next goes out.
/// One dispatcher per store; <see cref="DispatchDueAsync"/> must not run twice at once.
/// </summary>
public sealed class Dispatcher : IDisposable
{
    private readonly IOutboxStore _outbox;
    private readonly ISubscriberStore _subscribers;
    private readonly ISuppressionStore _suppressions;
    private readonly BounceHandler _bounces;
    private readonly ILetterStatsStore _stats;
    private readonly LinkTracker _tracker;
    private readonly TemplateLibrary _library;
    private readonly LetterRenderer _renderer;
    private readonly MessageBuilder _messages;
    private readonly UnsubscribeLinks _links;
    private readonly ILetterTransport _transport;
    private readonly SenderIdentity _sender;
    private readonly IReadOnlyDictionary<string, string> _namedLinks;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly ConcurrentBag<ITransportSession> _sessions = [];
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly SenderThreads _senders = new();
    private readonly OutcomeJournal _outcomes;
    private readonly ChangeJournal _journal;
    private bool _recovered;

    public Dispatcher(IOutboxStore outbox, ISubscriberStore subscribers, OutcomeJournal outcomes, ISuppressionStore suppressions,
        BounceHandler bounces, ILetterStatsStore stats, LinkTracker tracker, TemplateLibrary library,
        LetterRenderer renderer, MessageBuilder messages, UnsubscribeLinks links, ILetterTransport transport,
        SenderOptions sender, PublicOptions publicOptions, DispatchOptions options, ChangeJournal journal, TimeProvider clock, ILogger<Dispatcher> log)
    {
        _journal = journal;
        _outbox = outbox;
        _subscribers = subscribers;
        _suppressions = suppressions;
        _bounces = bounces;
        _stats = stats;
        _tracker = tracker;
        _library = library;
        _renderer = renderer;
        _messages = messages;
        _links = links;
        _transport = transport;
        _sender = new SenderIdentity(sender.Name, sender.Address, sender.PostalAddress);
        _namedLinks = publicOptions.Links;
        _options = options;
        _clock = clock;
        _log = log;
        _outcomes = outcomes;
    }

    /// <summary>
    /// Sends everything due now, batch after batch, until nothing is due or the token fires. Calls made
    /// while a pass is running wait for it (the scheduler's tick and a manual run never overlap).
    /// </summary>
    public async Task<DispatchReport> DispatchDueAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            return await DispatchAsync(cancellationToken);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Stores the outcomes a process that died had recorded, then returns anything left claimed to the queue. Runs once,
    /// before the first pass; the host runs it at start-up, so no one (a pause, a preference change) takes a send that
    /// went out for one still due before its outcome is in the store.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            Recover();
        }
        finally
        {
            _running.Release();
        }
    }

    private void Recover()
    {
        if (_recovered)
        {
            return;
        }
        var recovered = _outcomes.Recover();
        if (recovered > 0)
        {
            _log.LogWarning("Stored {Count} send outcomes a previous run recorded but had not yet stored", recovered);
        }
        var orphans = _outbox.ReleaseClaims(_clock.GetUtcNow());
        if (orphans > 0)
        {
            _log.LogWarning("Returned {Count} sends left claimed to the queue", orphans);
        }
        _recovered = true;
    }

    private async Task<DispatchReport> DispatchAsync(CancellationToken cancellationToken)
    {
        Recover();
        var report = new DispatchReport();
        // Three stages overlap: while a batch goes out, the next one is claimed and its recipients read, and the one before
        // has its outcomes stored. Done one after another, the store's part (a fifth of the work) left the connections idle.
        var next = Claim();
        var storing = Task.CompletedTask;
        try
        {
            while (next is not null)
            {
                var batch = next;
                next = null;
                if (cancellationToken.IsCancellationRequested || report.RelayUnreachable)
                {
                    GiveBack(batch, report);
                    break;
                }
                // Claimed once the batch before is stored: until then its sends are still due in the store, and claiming
                // loads every held send only to skip it (ClaimDue). Claimed beside that store, it read past both batches.
                var claiming = ClaimAfter(storing);
                try
                {
                    await SendBatchAsync(batch, report, cancellationToken);
                }
                finally
                {
                    next = await claiming;
                }
                // Stored in the order the batches went out; the next batch is sending meanwhile.
                await storing;
                storing = StoreAsync(report.TakeSentByLetter());
            }
        }
        finally
        {
            if (next is not null)
            {
                GiveBack(next, report);
            }
            await storing;
        }
        return report;
    }

    /// <summary>Claims on the pool once <paramref name="stored"/> has ended, stored or not (its failure is seen where it is awaited).</summary>
    private Task<ClaimedBatch?> ClaimAfter(Task stored) =>
        stored.ContinueWith(_ => Claim(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Claims the next due sends and reads their recipients; null when nothing is due.</summary>
    private ClaimedBatch? Claim()
    {
        var now = _clock.GetUtcNow();
        var sends = _outbox.ClaimDue(now, _options.BatchSize, now + _options.Lease);
        if (sends.Count == 0)
        {
            return null;
        }
        try
        {
            return new ClaimedBatch(sends, new Recipients(sends.Select(e => e.SubscriberId).ToList(), _subscribers, _suppressions, _journal));
        }
        catch
        {
            GiveBack(sends, relayDown: false);
            throw;
        }
    }

    private void GiveBack(ClaimedBatch batch, DispatchReport report)
    {
        GiveBack(batch.Sends, report.RelayUnreachable);
        batch.Recipients.Dispose();
    }

    /// <summary>
    /// Claimed sends that are not to go out in this pass (stopping, the relay down, their recipients unreadable) go back to
    /// the queue now, not after the lease: at once, or after <see cref="DispatchOptions.UnreachableRetry"/> when the relay is down.
    /// </summary>
    private void GiveBack(IEnumerable<OutboxEntry> sends, bool relayDown)
    {
        // One write for all of them: a stop mid-batch gave back up to two batches a transaction each.
        var requeued = sends.Select(send => Requeued(send, relayDown ? _options.UnreachableRetry : TimeSpan.Zero, send.LastError)).ToList();
        if (requeued.Count > 0)
        {
            _outbox.Update(requeued);
        }
    }

    private sealed record ClaimedBatch(IReadOnlyList<OutboxEntry> Sends, Recipients Recipients);

    private async Task SendBatchAsync(ClaimedBatch batch, DispatchReport report, CancellationToken cancellationToken)
    {
        var queue = new ConcurrentQueue<OutboxEntry>(batch.Sends);
        using (batch.Recipients)
        {
            await _senders.RunAll(Math.Min(_transport.Connections, batch.Sends.Count), () => Work(queue, batch.Recipients, report, cancellationToken));
        }

        // What the workers left when they stopped (the pass stopping, the relay down).
        GiveBack(queue, report.RelayUnreachable);
    }

    /// <summary>
    /// Writes a batch's outcomes to the store in one transaction, then its per-letter counts (one write, not hundreds), on a
    /// thread of the pool while the next batch goes out.
    /// </summary>
    private Task StoreAsync(IReadOnlyList<KeyValuePair<string, int>> sentByLetter) => Task.Run(() =>
    {
        _outcomes.Flush();
        foreach (var (letterId, count) in sentByLetter)
        {
            _stats.Add(letterId, LetterMetric.Sent, count);
        }
    });

    private void Work(ConcurrentQueue<OutboxEntry> queue, Recipients recipients, DispatchReport report, CancellationToken cancellationToken)
    {
        var session = _sessions.TryTake(out var pooled) ? pooled : _transport.OpenSession();
        try
        {
            while (!cancellationToken.IsCancellationRequested && !report.RelayUnreachable && queue.TryDequeue(out var entry))
            {
                try
                {
                    SendOne(entry, recipients, session, report);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Never let one letter stop the batch; the send is retried later with the reason recorded.
                    _log.LogError(e, "Unexpected failure sending {Send}", entry.Id);
                    Retry(entry, $"internal error: {e.Message}", report);
                }
            }
        }
        finally
        {
            _sessions.Add(session);
        }
    }

    private void SendOne(OutboxEntry entry, Recipients recipients, ITransportSession session, DispatchReport report)
    {
        var (subscriber, suppression) = recipients.Current(entry.SubscriberId);
        var why = subscriber is null ? "the subscriber no longer exists" : WhyNotSend(entry, subscriber, suppression);
        if (subscriber is null || why is not null)
        {
            Close(entry, OutboxState.Skipped, why, HistoryKind.LetterSkipped, report);
            return;
        }
        var letter = _library.FindLetter(entry.LetterId);
        if (letter is null)
        {
            Close(entry, OutboxState.Failed, $"letter '{entry.LetterId}' is not in templates/letters/", HistoryKind.LetterFailed, report);
            return;
        }
        RenderedLetter rendered;
        var unsubscribeUrl = _links.Url(subscriber.Id, letter.Id);
        try
        {
            rendered = _renderer.Render(letter, subscriber, new LetterContext(unsubscribeUrl, _sender, _namedLinks) { Values = entry.Data });
            rendered = rendered with { Html = _tracker.Track(rendered.Html, subscriber.Id, letter.Id, unsubscribeUrl) };
        }
        catch (RenderException e)
        {
            _log.LogWarning("Rendering {Letter} for {Subscriber} failed: {Error}", entry.LetterId, subscriber.Id, e.Message);
            Retry(entry, $"render: {e.Message}", report);
            return;
        }

        // Disposed once sent: MimeKit's messages and parts have finalizers, so one left to the collector outlives the next
        // collection with its whole letter (text, bytes, headers) and is copied into an older generation on its way out.
        using var message = _messages.Build(entry, subscriber, rendered, unsubscribeUrl);
        entry.MessageId = message.MessageId;
        // Not cancellable: a stop waits for the letter in flight (bounded by the SMTP command timeout) rather than
        // cutting its transaction, which is the one way a letter could arrive without being recorded as sent.
        var outcome = session.Send(message, _messages.EnvelopeFrom(subscriber.Id), MessageBuilder.Recipient(subscriber), CancellationToken.None);
        entry.SmtpStatus = outcome.StatusCode;
        switch (outcome.Result)
        {
            case SendResult.Delivered:
                entry.Attempts++;
                entry.SentAt = _clock.GetUtcNow();
                entry.Subject = rendered.Subject;
                entry.Close(OutboxState.Sent);
                // The send is the record of a sent letter (the timeline shows it): no line beside it.
                Record(entry, null);
                report.Count(OutboxState.Sent);
                report.CountSent(letter.Id);
                break;
            case SendResult.Permanent:
                entry.Attempts++;
                Close(entry, OutboxState.Bounced, outcome.Detail, HistoryKind.LetterBounced, report);
                if (outcome.MailboxGone)
                {
                    _bounces.Hard(subscriber, outcome.Detail, letter.Id);
                }
                else if (outcome.IsRecipientRefusal)
                {
                    _bounces.Policy(subscriber, outcome.Detail, letter.Id);
                }
                break;
            case SendResult.Transient when outcome.IsRecipientRefusal:
                // A 4xx at RCPT is a soft bounce: retried, and counted toward the soft-bounce limit.
                _bounces.Soft(subscriber, outcome.Detail, letter.Id);
                Retry(entry, outcome.Detail, report);
                break;
            case SendResult.Unreachable:
                // Nothing was attempted for this letter, so it costs no attempt.
                report.RelayUnreachable = true;
                _outbox.Update(Requeued(entry, _options.UnreachableRetry, outcome.Detail));
                _log.LogWarning("Relay unreachable, pausing dispatch for {Delay}: {Detail}", _options.UnreachableRetry, outcome.Detail);
                break;
            default:
                Retry(entry, outcome.Detail, report);
                break;
        }
    }

    /// <summary>Why this send must not go out now, or null when it may.</summary>
    private static string? WhyNotSend(OutboxEntry entry, Subscriber subscriber, Suppression? suppressed)
    {
        // A confirmation letter goes to someone who asked to join and is not on the list (yet, or any more),
        // and only that letter does; not to an address that reported us as spam.
        var confirming = entry.Source == OptInSource && subscriber.Status is not (SubscriberStatus.Active or SubscriberStatus.Complained);
        if (!subscriber.IsMailable && !confirming)
        {
            return $"the subscriber is {subscriber.Status.ToString().ToLowerInvariant()}";
        }
        // The address itself may be suppressed even when the record looks active (re-created, re-imported).
        if (suppressed is not null && !(confirming && suppressed.Reason != SuppressionReason.Complaint))
        {
            return $"the address is on the suppression list ({suppressed.Reason})";
        }
        return null;
    }

    /// <summary>The outbox source of double opt-in confirmation letters.</summary>
    public const string OptInSource = "optin";

    private void Retry(OutboxEntry entry, string error, DispatchReport report)
    {
        entry.Attempts++;
        var delays = _options.EffectiveRetryDelays;
        if (entry.Attempts > delays.Count)
        {
            Close(entry, OutboxState.Failed, $"gave up after {entry.Attempts} attempts: {error}", HistoryKind.LetterFailed, report);
            return;
        }
        var retryAt = _clock.GetUtcNow() + delays[entry.Attempts - 1];
        entry.Defer(retryAt, error);
        Record(entry, Line(entry, HistoryKind.LetterDeferred, $"{error}; next attempt {retryAt:u}"));
        report.Count(OutboxState.Deferred);
    }

    /// <summary>The send back in the queue after <paramref name="delay"/> (written by the caller); an unattempted send stays due.</summary>
    private OutboxEntry Requeued(OutboxEntry entry, TimeSpan delay, string? reason)
    {
        entry.State = entry.Attempts > 0 ? OutboxState.Deferred : OutboxState.Due;
        entry.LastError = reason;
        entry.ReadyAt = _clock.GetUtcNow() + delay;
        return entry;
    }

    /// <summary>Moves the send to its final state; returns once that is written, so the worker's next send cannot overtake it.</summary>
    private void Close(OutboxEntry entry, OutboxState state, string? error, HistoryKind kind, DispatchReport report)
    {
        entry.Close(state, error);
        Record(entry, Line(entry, kind, $"{entry.LetterId}: {error}"));
        report.Count(state);
    }

    /// <summary>
    /// Records the send's new state with its timeline line in the outcome journal, and returns once a crash can no longer
    /// lose it: a worker's next send cannot overtake it, so a crash repeats at most the one letter per connection whose
    /// server answer was not yet recorded. The store has it by the end of the batch.
    /// </summary>
    private void Record(OutboxEntry entry, HistoryEntry? line) => _outcomes.Record(entry, line);

    private HistoryEntry Line(OutboxEntry entry, HistoryKind kind, string detail) =>
        new() { SubscriberId = entry.SubscriberId, At = _clock.GetUtcNow(), Kind = kind, Detail = detail, OutboxId = entry.Id };

    public void Dispose()
    {
        _senders.Dispose();
        while (_sessions.TryTake(out var session))
        {
            session.Dispose();
        }
        _running.Dispose();
    }
}

/// <summary>What one dispatch pass did.</summary>
public sealed class DispatchReport
{
    private int _sent;
    private int _deferred;
    private int _bounced;
    private int _failed;
    private int _skipped;
    private volatile bool _relayUnreachable;
    private readonly ConcurrentDictionary<string, int> _sentByLetter = new(StringComparer.Ordinal);

    public int Sent => _sent;

    public int Deferred => _deferred;

    public int Bounced => _bounced;

    public int Failed => _failed;

    public int Skipped => _skipped;

    public bool RelayUnreachable
    {
        get => _relayUnreachable;
        set => _relayUnreachable = value;
    }

    internal void CountSent(string letterId) => _sentByLetter.AddOrUpdate(letterId, 1, (_, n) => n + 1);

    internal IReadOnlyList<KeyValuePair<string, int>> TakeSentByLetter()
    {
        var taken = _sentByLetter.ToArray();
        _sentByLetter.Clear();
        return taken;
    }

    internal void Count(OutboxState state)
    {
        switch (state)
        {
            case OutboxState.Sent: Interlocked.Increment(ref _sent); break;
            case OutboxState.Deferred: Interlocked.Increment(ref _deferred); break;
            case OutboxState.Bounced: Interlocked.Increment(ref _bounced); break;
            case OutboxState.Skipped: Interlocked.Increment(ref _skipped); break;
            default: Interlocked.Increment(ref _failed); break;
        }
    }

    public override string ToString() =>
        $"{Sent} sent, {Deferred} deferred, {Bounced} bounced, {Failed} failed, {Skipped} skipped{(RelayUnreachable ? " (relay unreachable)" : "")}";
}
