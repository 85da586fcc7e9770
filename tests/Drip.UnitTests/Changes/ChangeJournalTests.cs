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
        _journal.Unwatch();
    }

    [Fact]
    public void What_was_recorded_is_kept_while_anyone_watches_and_forgotten_when_no_one_does()
    {
        var someone = Guid.NewGuid();
        var first = _journal.Watch();
        var second = _journal.Watch();
        _journal.Subscribers([someone]);

        _journal.Unwatch();
        Assert.True(_journal.ChangedSince(second, someone));

        _journal.Unwatch();
        var next = _journal.Watch();
        Assert.False(_journal.ChangedSince(first, someone)); // forgotten: a read made after this mark sees the change itself
        Assert.False(_journal.ChangedSince(next, someone));
        _journal.Unwatch();
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
        _journal.Unwatch();
        Assert.Equal(0, _journal.Held);
    }
}
