using Drip.Storage;
using LiteDB;

namespace Drip.IntegrationTests;

/// <summary>A store left by a killed process opens again, whatever its write-ahead log held.</summary>
public sealed class StoreRecoveryTests : IDisposable
{
    private const int PageSize = 8192;

    // LiteDB copies its log into the data file once the log passes this many pages at a commit.
    private const int CheckpointPages = 1000;

    private readonly TestData _data = new();

    [Fact]
    public async Task A_store_whose_log_was_about_to_be_checkpointed_when_the_process_died_opens_and_takes_writes()
    {
        var live = Path.Combine(_data.DataPath, "live", "drip.db");
        var left = Path.Combine(_data.DataPath, "left", "drip.db");
        Directory.CreateDirectory(Path.GetDirectoryName(left)!);
        using (var db = new DripDatabase(live))
        {
            // Small writes until the log is a page short of its checkpoint or at it, then copy the files as a kill would leave them.
            var log = Path.ChangeExtension(live, null) + "-log.db";
            var notes = db.Database.GetCollection("notes");
            for (var i = 0; ; i++)
            {
                db.InTransaction(() => notes.Insert(new BsonDocument { ["n"] = i }));
                await Task.Delay(1); // the log writer runs on its own thread
                var pages = new FileInfo(log).Length / PageSize;
                if (pages is >= CheckpointPages - 1 and <= CheckpointPages)
                {
                    await Task.Delay(200);
                    File.Copy(live, left);
                    File.Copy(log, Path.ChangeExtension(left, null) + "-log.db");
                    break;
                }
                Assert.True(i < 50_000, "the log never came near its checkpoint");
            }
        }

        // Opening writes once (and that write passes the checkpoint); the writes after it must go through too.
        var reopen = Task.Run(() =>
        {
            using var db = new DripDatabase(left);
            db.InTransaction(() => db.Database.GetCollection("notes").Insert(new BsonDocument { ["n"] = -1 }));
            return db.Read(() => db.Database.GetCollection("notes").Count());
        });
        var finished = await Task.WhenAny(reopen, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(finished == reopen, "the store left by the dead process did not open within a minute");
        Assert.True(await reopen > CheckpointPages / 4);
    }

    [Fact]
    public void Every_write_is_in_the_log_file_when_it_returns_so_a_kill_right_after_it_keeps_it()
    {
        // A killed process loses what it had not yet handed to the system. The dispatcher sends a connection's next letter
        // once the last one's "sent" is written; were that still queued in LiteDB's log writer, a kill would send it twice.
        var file = Path.Combine(_data.DataPath, "drip.db");
        var log = Path.ChangeExtension(file, null) + "-log.db";
        using var db = new DripDatabase(file);
        var notes = db.Database.GetCollection("notes");
        var behind = 0;
        for (var i = 0; i < 200; i++)
        {
            var before = File.Exists(log) ? new FileInfo(log).Length : 0;
            db.InTransaction(() => notes.Insert(new BsonDocument { ["n"] = i }));
            behind += new FileInfo(log).Length > before ? 0 : 1;
        }

        Assert.Equal(0, behind);
    }

    public void Dispose() => _data.Dispose();
}
