using Drip.Changes;
using Drip.Subscribers;

namespace Drip.Delivery;

/// <summary>
/// The recipients of one claimed batch, read in two queries (their records, and the suppressions of their addresses)
/// instead of two per letter. Before each letter the <see cref="ChangeJournal"/> says whether that recipient's record
/// or address was written since the read; only then is it read again. So an unsubscribe stored while the batch goes
/// out still stops every letter whose turn comes after it.
/// </summary>
internal sealed class Recipients : IDisposable
{
    private readonly ISubscriberStore _subscribers;
    private readonly ISuppressionStore _suppressions;
    private readonly ChangeJournal _journal;
    private readonly long _mark;
    private readonly IReadOnlyDictionary<Guid, Subscriber> _read;
    private readonly IReadOnlyDictionary<string, Suppression> _suppressed;

    public Recipients(IReadOnlyCollection<Guid> ids, ISubscriberStore subscribers, ISuppressionStore suppressions, ChangeJournal journal)
    {
        _subscribers = subscribers;
        _suppressions = suppressions;
        _journal = journal;
        // Watch first, then read: a change committed after the read is then recorded after the mark.
        _mark = journal.Watch();
        try
        {
            _read = subscribers.FindMany(ids);
            _suppressed = suppressions.FindAll(_read.Values.Select(s => s.Email).ToList());
        }
        catch
        {
            journal.Unwatch(_mark);
            throw;
        }
    }

    /// <summary>The recipient as stored now (null when the record is gone), and the suppression of their address if any.</summary>
    public (Subscriber? Subscriber, Suppression? Suppression) Current(Guid id)
    {
        var subscriber = _journal.ChangedSince(_mark, id) ? _subscribers.Find(id) : _read.GetValueOrDefault(id);
        if (subscriber is null)
        {
            return (null, null);
        }
        var hash = Suppression.HashOf(subscriber.Email);
        var suppression = _journal.ChangedSince(_mark, hash) || !_read.ContainsKey(id)
            ? _suppressions.Find(subscriber.Email)
            : _suppressed.GetValueOrDefault(hash);
        return (subscriber, suppression);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _journal.Unwatch(_mark);
        }
    }

    private bool _disposed;
}
