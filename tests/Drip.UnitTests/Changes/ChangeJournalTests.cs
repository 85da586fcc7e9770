using Drip.Changes;

namespace Drip.UnitTests.Changes;

public sealed class ChangeJournalTests
{
    private readonly ChangeJournal _journal = new();

    [Fact]
    public void A_change_recorded_after_the_mark_is_seen_and_one_before_it_is_not()
    {
        var before = Guid.NewGuid();
        var after = Guid.NewGuid();
        _journal.Subscribers([before]);
        _journal.Addresses(["hash-before"]);

        var mark = _journal.Watch();
        _journal.Subscribers([after]);
        _journal.Addresses(["hash-after"]);

        Assert.False(_journal.ChangedSince(mark, before));
        Assert.False(_journal.ChangedSince(mark, "hash-before"));
        Assert.True(_journal.ChangedSince(mark, after));
        Assert.True(_journal.ChangedSince(mark, "hash-after"));
        Assert.False(_journal.ChangedSince(mark, Guid.NewGuid()));
        _journal.Unwatch(mark);
    }

    [Fact]
    public void What_was_recorded_is_kept_while_anyone_watches_and_forgotten_when_no_one_does()
    {
        var someone = Guid.NewGuid();
        var first = _journal.Watch();
        var second = _journal.Watch();
        _journal.Subscribers([someone]);

        _journal.Unwatch(first);
        Assert.True(_journal.ChangedSince(second, someone));

        _journal.Unwatch(second);
        var next = _journal.Watch();
        Assert.False(_journal.ChangedSince(first, someone)); // forgotten: a read made after this mark sees the change itself
        Assert.False(_journal.ChangedSince(next, someone));
        _journal.Unwatch(next);
    }

    [Fact]
    public void Writes_made_while_no_one_watches_are_not_kept()
    {
        for (var i = 0; i < 1000; i++)
        {
            _journal.Subscribers([Guid.NewGuid()]);
            _journal.Addresses([$"hash-{i}"]);
        }

        Assert.Equal(0, _journal.Held);
        var mark = _journal.Watch();
        var someone = Guid.NewGuid();
        _journal.Subscribers([someone]);
        Assert.Equal(1, _journal.Held);
        Assert.True(_journal.ChangedSince(mark, someone));
        _journal.Unwatch(mark);
        Assert.Equal(0, _journal.Held);
    }

    [Fact]
    public void Watchers_that_overlap_without_end_hold_only_what_the_oldest_of_them_can_still_ask_about()
    {
        // The dispatcher reads each batch while the one before goes out: someone always watches.
        var watching = _journal.Watch();
        for (var batch = 0; batch < 100; batch++)
        {
            var next = _journal.Watch();
            _journal.Subscribers(Enumerable.Range(0, 5000).Select(_ => Guid.NewGuid()).ToList()); // an import, meanwhile
            _journal.Unwatch(watching);
            watching = next;
        }

        Assert.InRange(_journal.Held, 1, 5000); // the last batch's writes, which the one watching still may ask about
        var late = Guid.NewGuid();
        _journal.Subscribers([late]);
        Assert.True(_journal.ChangedSince(watching, late));
        _journal.Unwatch(watching);
        Assert.Equal(0, _journal.Held);
    }

    [Fact]
    public void A_mark_no_one_watches_from_cannot_be_unwatched()
    {
        var mark = _journal.Watch();
        _journal.Unwatch(mark);

        Assert.Throws<InvalidOperationException>(() => _journal.Unwatch(mark));
    }
}
