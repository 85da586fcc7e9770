using Drip.Changes;
using Drip.History;
using Drip.Outbox;
using Drip.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Outbox;

/// <summary>
/// The outcome journal over a real LiteDB file and a real folder: what a process records survives its death, the next
/// process stores it before anything claimed is released, and nothing is written twice.
/// </summary>
public sealed class OutcomeJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("drip-outcomes-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero));
    private DripDatabase _db;

    public OutcomeJournalTests() => _db = new DripDatabase(Path.Combine(_folder, "drip.db"));

    private string Journal => Path.Combine(_folder, "outcomes");

    private LiteOutboxStore Outbox => new(_db);

    private OutcomeJournal Open(IChangeWriter? writer = null) =>
        new(Journal, new GroupCommit(writer ?? new LiteChangeWriter(_db, _clock)), Outbox, _clock);

    private List<OutboxEntry> Claimed(int count)
    {
        var now = _clock.GetUtcNow();
        Outbox.Enqueue(Enumerable.Range(0, count)
            .Select(i => OutboxEntry.Create($"campaign:news:{i}", Guid.NewGuid(), "news", "campaign:news", now, urgent: false, now)).ToList());
        return Outbox.ClaimDue(now, count, now.AddMinutes(10)).ToList();
    }

    private HistoryEntry BounceLine(OutboxEntry send) =>
        new() { SubscriberId = send.SubscriberId, At = _clock.GetUtcNow(), Kind = HistoryKind.LetterBounced, Detail = "news: 550 no such mailbox", OutboxId = send.Id };

    // As the dispatcher records a letter the server accepted: the send, with its subject, is the record; no timeline line.
    private static void RecordSent(OutcomeJournal journal, OutboxEntry send)
    {
        send.Attempts++;
        send.Subject = "News for you";
        send.Close(OutboxState.Sent);
        journal.Record(send, null);
    }

    // As the dispatcher records a letter the server refused for good: the send's new state and a timeline line.
    private void RecordBounced(OutcomeJournal journal, OutboxEntry send)
    {
        send.Attempts++;
        send.Close(OutboxState.Bounced, "550 no such mailbox");
        journal.Record(send, BounceLine(send));
    }

    // What a SIGKILL leaves: the files as they are, the store closed without anything more being written.
    private void Crash(OutcomeJournal journal)
    {
        journal.Dispose();
        _db.Dispose();
        _db = new DripDatabase(Path.Combine(_folder, "drip.db"));
    }

    private int LinesFor(OutboxEntry send) => new LiteHistoryStore(_db).ForSubscriber(send.SubscriberId).Count(l => l.OutboxId == send.Id);

    [Fact]
    public async Task Outcomes_recorded_by_a_process_that_died_are_stored_by_the_next_and_its_other_sends_are_due()
    {
        var sends = Claimed(3);
        var dying = Open();
        RecordSent(dying, sends[0]);
        RecordBounced(dying, sends[1]);
        Assert.Equal(OutboxState.Claimed, Outbox.Find(sends[0].Id)!.State); // recorded, not yet stored
        Crash(dying);

        using var next = Open();
        Assert.Equal(2, next.Recover());
        Assert.Equal(0, Outbox.ReleaseClaims(_clock.GetUtcNow())); // claims died with the process: the store never held them

        var sent = Outbox.Find(sends[0].Id)!;
        Assert.Equal((OutboxState.Sent, "News for you"), (sent.State, sent.Subject));
        Assert.Equal(OutboxState.Bounced, Outbox.Find(sends[1].Id)!.State);
        Assert.Equal(OutboxState.Due, Outbox.Find(sends[2].Id)!.State);
        Assert.Equal(0, LinesFor(sends[0]));
        Assert.Equal(1, LinesFor(sends[1]));
        Assert.Empty(Directory.GetFiles(Journal));
    }

    [Fact]
    public async Task An_outcome_is_in_the_file_when_recording_it_returns()
    {
        var send = Claimed(1)[0];
        using var journal = Open();
        RecordSent(journal, send);

        var file = Assert.Single(Directory.GetFiles(Journal));
        using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Contains(send.Id, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task A_last_line_cut_short_is_skipped_and_its_send_goes_back_to_the_queue()
    {
        var sends = Claimed(2);
        var dying = Open();
        RecordSent(dying, sends[0]);
        Crash(dying);
        var file = Assert.Single(Directory.GetFiles(Journal));
        // A write cut short as the process died: its line break (which comes first) and part of the outcome.
        await File.AppendAllTextAsync(file, "\n" + $$"""{"Send":{"Id":"{{sends[1].Id}}","State":"Se""");

        using var next = Open();
        Assert.Equal(1, next.Recover());
        Assert.Equal(0, Outbox.ReleaseClaims(_clock.GetUtcNow())); // claims died with the process: the store never held them
        Assert.Equal(OutboxState.Due, Outbox.Find(sends[1].Id)!.State);
    }

    [Fact]
    public async Task A_write_that_failed_part_way_costs_only_its_own_outcome()
    {
        var sends = Claimed(3);
        var dying = Open();
        RecordSent(dying, sends[0]);
        var file = Assert.Single(Directory.GetFiles(Journal));
        var before = new FileInfo(file).Length;
        RecordSent(dying, sends[1]);
        var after = new FileInfo(file).Length;
        RecordSent(dying, sends[2]);
        Crash(dying);
        // What a full disk can leave: the middle outcome's bytes cut off half-way, the next outcome written after them.
        var bytes = await File.ReadAllBytesAsync(file);
        var half = (int)(before + (after - before) / 2);
        await File.WriteAllBytesAsync(file, [.. bytes[..half], .. bytes[(int)after..]]);

        using var next = Open();
        Assert.Equal(2, next.Recover());
        Assert.Equal(OutboxState.Sent, Outbox.Find(sends[2].Id)!.State);
        Assert.Equal(0, Outbox.ReleaseClaims(_clock.GetUtcNow())); // claims died with the process: the store never held them
        Assert.Equal(OutboxState.Due, Outbox.Find(sends[1].Id)!.State);
    }

    [Fact]
    public async Task Outcomes_already_stored_when_the_process_died_are_not_written_again()
    {
        var sends = Claimed(2);
        var dying = Open();
        RecordBounced(dying, sends[0]);
        RecordBounced(dying, sends[1]);
        var file = Assert.Single(Directory.GetFiles(Journal));
        var written = await File.ReadAllBytesAsync(file);
        dying.Flush();
        Assert.Empty(Directory.GetFiles(Journal));
        // Died after the store had them and before the file was gone.
        await File.WriteAllBytesAsync(file, written);
        Crash(dying);

        using var next = Open();
        Assert.Equal(0, next.Recover());
        Assert.Equal(1, LinesFor(sends[0]));
        Assert.Equal(1, LinesFor(sends[1]));
    }

    [Fact]
    public async Task An_outcome_reaches_the_store_once_it_has_waited_long_enough_without_a_flush()
    {
        var sends = Claimed(2);
        using var journal = Open();
        RecordSent(journal, sends[0]);
        Assert.Equal(OutboxState.Claimed, Outbox.Find(sends[0].Id)!.State);

        _clock.Advance(OutcomeJournal.HoldAtMost);
        RecordSent(journal, sends[1]);

        Assert.Equal(OutboxState.Sent, Outbox.Find(sends[0].Id)!.State);
        Assert.Equal(OutboxState.Sent, Outbox.Find(sends[1].Id)!.State);
        Assert.Empty(Directory.GetFiles(Journal));
    }

    [Fact]
    public async Task Outcomes_the_store_refused_are_kept_on_disk_and_written_by_the_next_flush()
    {
        var sends = Claimed(2);
        var store = new RefusingOnce(new LiteChangeWriter(_db, _clock));
        using var journal = Open(store);
        RecordSent(journal, sends[0]);

        Assert.Throws<InvalidOperationException>(journal.Flush);
        Assert.Single(Directory.GetFiles(Journal));
        Assert.Equal(OutboxState.Claimed, Outbox.Find(sends[0].Id)!.State);

        RecordSent(journal, sends[1]);
        journal.Flush();
        Assert.Equal(OutboxState.Sent, Outbox.Find(sends[0].Id)!.State);
        Assert.Equal(OutboxState.Sent, Outbox.Find(sends[1].Id)!.State);
        Assert.Empty(Directory.GetFiles(Journal));
    }

    private sealed class RefusingOnce(IChangeWriter inner) : IChangeWriter
    {
        private bool _refused;

        public void Write(ChangeSet changes)
        {
            if (!_refused)
            {
                _refused = true;
                throw new IOException("disk full");
            }
            inner.Write(changes);
        }
    }

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
