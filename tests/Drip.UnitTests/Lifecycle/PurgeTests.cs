using Drip.Changes;
using Drip.Delivery;
using Drip.Engagement;
using Drip.History;
using Drip.Outbox;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Lifecycle;

/// <summary>
/// The list-cleaning purge over a simulated two-year history on a fake clock: a weekly newsletter goes to
/// every active subscriber, people open, click, ask to stay or say nothing, and the purge runs every night.
/// </summary>
public sealed class PurgeTests : IDisposable
{
    private const string Header = "email,subscriber_id,action,joined,last_engaged,letters_since,reason";

    // Day 0 at 03:00 UTC: the nightly purge hour. Letters go at 10:00, people act from 11:00.
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 3, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly LiteSubscriberStore _subscribers;
    private readonly LiteOutboxStore _outbox;
    private readonly LiteHistoryStore _history;
    private readonly LiteSuppressionStore _suppressions;
    private readonly Unsubscriber _unsubscriber;
    private readonly TokenSigner _signer = new(new Dictionary<string, byte[]> { ["k"] = new byte[32] }, "k");
    private readonly EngagementRecorder _engagement;
    private readonly PurgeOptions _options = new();
    private readonly string _reports = Path.Combine(Path.GetTempPath(), "drip-purge-" + Guid.NewGuid().ToString("N"));
    private readonly Purger _purger;

    public PurgeTests()
    {
        _subscribers = new LiteSubscriberStore(_db);
        _outbox = new LiteOutboxStore(_db);
        _history = new LiteHistoryStore(_db);
        _suppressions = new LiteSuppressionStore(_db);
        _unsubscriber = new Unsubscriber(_subscribers, new GroupCommit(new LiteChangeWriter(_db, _clock)), _clock);
        _engagement = new EngagementRecorder(_subscribers, _history, new LiteLetterStatsStore(_db, _clock), _clock);
        _purger = new Purger(_subscribers, _outbox, _unsubscriber, _signer, new PublicOptions { BaseUrl = "https://drip.example/" },
            _options, _reports, _clock);
    }

    private static DateTimeOffset Day(int day, int hour = 3) => Start.AddDays(day).AddHours(hour - Start.Hour);

    private Subscriber Join(string email, DateTimeOffset at)
    {
        var s = new Subscriber
        {
            Id = Guid.NewGuid(), Email = email, EmailKey = EmailAddress.Key(email), Status = SubscriberStatus.Active,
            CreatedAt = at, UpdatedAt = at, ConsentAt = at, ConsentSource = "form", ConfirmedAt = at,
        };
        _subscribers.Save([s]);
        return s;
    }

    /// <summary>A letter that went out now: written to the outbox as the dispatcher leaves it.</summary>
    private void Sent(Subscriber s, string letter)
    {
        var now = _clock.GetUtcNow();
        var entry = OutboxEntry.Create($"test:{letter}:{s.Id:N}:{now.UtcTicks}", s.Id, letter, "program:weekly", now, urgent: false, now);
        entry.State = OutboxState.Sent;
        entry.SentAt = now;
        entry.Attempts = 1;
        entry.ReadyAt = DateTimeOffset.MaxValue;
        _outbox.Enqueue([entry]);
    }

    /// <summary>What the dispatcher would do with a due re-engagement letter: send it while the person is still active.</summary>
    private void DispatchReengagementLetters()
    {
        foreach (var entry in _outbox.ClaimDue(_clock.GetUtcNow(), 100, _clock.GetUtcNow().AddMinutes(10)))
        {
            if (_subscribers.Find(entry.SubscriberId)!.IsMailable)
            {
                entry.Attempts = 1;
                entry.SentAt = _clock.GetUtcNow();
                entry.Close(OutboxState.Sent);
            }
            else
            {
                entry.Close(OutboxState.Skipped, "not mailable");
            }
            _outbox.Update(entry);
        }
    }

    private bool Active(Subscriber s) => _subscribers.Find(s.Id)!.Status == SubscriberStatus.Active;

    private DateTimeOffset? AskedAt(Subscriber s) => _subscribers.Find(s.Id)!.Engagement.ReengagementSentAt;

    private static List<string[]> ReadRows(IEnumerable<string> files)
    {
        var rows = new List<string[]>();
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file);
            Assert.Equal(Header, lines[0]);
            Assert.True(lines.Length > 1, $"{file} has a header and no decision");
            // The reason is the last column and none of ours holds a comma, quote or line break.
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(',');
                Assert.True(fields.Length == 7, $"not 7 columns: {line}");
                rows.Add(fields);
            }
        }
        return rows;
    }

    [Fact]
    public void Two_years_of_nightly_purges_reengage_keep_and_purge_the_right_people_and_report_every_decision()
    {
        const int days = 730;
        var silent = Join("silent@example.org", Start);
        var stayer = Join("stayer@example.org", Start);
        var graceOpener = Join("grace@example.org", Start);
        var engaged = Join("engaged@example.org", Start);
        var fewLetters = Join("quarterly@example.org", Start);
        var machine = Join("machine@example.org", Start);
        var leaver = Join("leaver@example.org", Start);
        Subscriber? young = null;
        var runs = new List<PurgeReport>();
        var reengagedOn = new Dictionary<Guid, int>();

        for (var day = 0; day <= days; day++)
        {
            _clock.SetUtcNow(Day(day, 3));
            var report = _purger.Run(dryRun: false);
            runs.Add(report);
            foreach (var d in report.Decisions.Where(d => d.Action == PurgeAction.Reengage))
            {
                reengagedOn.Add(d.SubscriberId, day);
            }

            _clock.SetUtcNow(Day(day, 10));
            if (day == 400)
            {
                young = Join("young@example.org", _clock.GetUtcNow());
            }
            DispatchReengagementLetters();
            var everyone = new[] { silent, stayer, graceOpener, engaged, machine, leaver }.Concat(young is null ? [] : [young]);
            if (day > 0 && day % 7 == 0)
            {
                foreach (var s in everyone.Where(s => Active(s) && s.CreatedAt < _clock.GetUtcNow()))
                {
                    Sent(s, "weekly");
                }
            }
            if (day > 0 && day % 91 == 0 && Active(fewLetters))
            {
                // The quarterly one only ever gets a letter a quarter: 8 in two years, fewer than MinLetters.
                Sent(fewLetters, "quarterly");
            }

            _clock.SetUtcNow(Day(day, 11));
            if (day > 0 && day % 7 == 0 && Active(machine))
            {
                // A privacy proxy fetches every image of every letter: counted, but it is nobody reading.
                _engagement.Opened(machine.Id, "weekly", machine: true);
            }

            _clock.SetUtcNow(Day(day, 12));
            switch (day)
            {
                case 30:
                    _engagement.Opened(graceOpener.Id, "weekly", machine: false);
                    break;
                case 100 or 400:
                    _engagement.Opened(engaged.Id, "weekly", machine: false);
                    break;
                case 550:
                    // Six months before the end: opens and clicks.
                    _engagement.Opened(engaged.Id, "weekly", machine: false);
                    _engagement.Clicked(engaged.Id, "weekly", "https://shop.example/linen", machine: false);
                    break;
                case 200:
                    Assert.True(_unsubscriber.Unsubscribe(leaver.Id, "one-click"));
                    break;
            }
            if (reengagedOn.TryGetValue(stayer.Id, out var asked) && day == asked + 3)
            {
                // Clicks "yes, keep sending" in the letter it got: the token from that letter's link.
                var letter = Assert.Single(_outbox.ForSubscriber(stayer.Id), e => e.Source == "reengage");
                var token = letter.Data!["stay_url"].Split('/')[^1];
                var verified = _signer.Verify(token, TokenPurpose.Stay);
                Assert.NotNull(verified);
                Assert.True(_engagement.Stay(verified.SubscriberId));
            }
            if (reengagedOn.TryGetValue(graceOpener.Id, out var askedGrace) && day == askedGrace + 10)
            {
                Assert.NotNull(AskedAt(graceOpener));
                _engagement.Opened(graceOpener.Id, "weekly", machine: false);
                Assert.Null(AskedAt(graceOpener));
            }
        }

        // Who was asked when: 548 days (InactiveFor) after joining or after the last human open.
        Assert.Equal(new Dictionary<Guid, int> { [silent.Id] = 548, [stayer.Id] = 548, [machine.Id] = 548, [graceOpener.Id] = 579 }, reengagedOn);

        // Final status of each story.
        var final = new[] { silent, stayer, graceOpener, engaged, fewLetters, machine, leaver, young! }
            .ToDictionary(s => s.Email, s => _subscribers.Find(s.Id)!);
        Assert.Equal(SubscriberStatus.Purged, final["silent@example.org"].Status);
        Assert.Equal(SubscriberStatus.Purged, final["machine@example.org"].Status);
        Assert.Equal(SubscriberStatus.Active, final["stayer@example.org"].Status);
        Assert.Equal(SubscriberStatus.Active, final["grace@example.org"].Status);
        Assert.Equal(SubscriberStatus.Active, final["engaged@example.org"].Status);
        Assert.Equal(SubscriberStatus.Active, final["quarterly@example.org"].Status);
        Assert.Equal(SubscriberStatus.Active, final["young@example.org"].Status);
        Assert.Equal(SubscriberStatus.Unsubscribed, final["leaver@example.org"].Status);

        Assert.Null(final["stayer@example.org"].Engagement.ReengagementSentAt);
        Assert.Equal(Day(551, 12), final["stayer@example.org"].Engagement.LastEngagedAt);
        Assert.Null(final["grace@example.org"].Engagement.ReengagementSentAt);
        Assert.Equal(Day(589, 12), final["grace@example.org"].Engagement.LastEngagedAt);
        Assert.Equal(Day(550, 12), final["engaged@example.org"].Engagement.LastEngagedAt);
        Assert.Null(final["quarterly@example.org"].Engagement.LastEngagedAt);
        Assert.Null(final["young@example.org"].Engagement.LastEngagedAt);
        // The machine opened every one of the 80 weekly letters it got before the purge (days 7..560), and none of them counted.
        var machineRecord = final["machine@example.org"].Engagement;
        Assert.Equal((80, 0, null), (machineRecord.MachineOpens, machineRecord.Opens, machineRecord.LastEngagedAt));
        Assert.Contains(_history.ForSubscriber(silent.Id), h => h.Kind == HistoryKind.Purged && h.At == Day(562, 3));
        Assert.Contains(_history.ForSubscriber(machine.Id), h => h.Kind == HistoryKind.Purged && h.At == Day(562, 3));

        // The purged are suppressed as purged; the leaver keeps their unsubscribe; nobody else is suppressed.
        Assert.Equal(SuppressionReason.Purged, _suppressions.Find("silent@example.org")?.Reason);
        Assert.Equal(SuppressionReason.Purged, _suppressions.Find("machine@example.org")?.Reason);
        Assert.Equal(SuppressionReason.Unsubscribed, _suppressions.Find("leaver@example.org")?.Reason);
        Assert.Equal(3, _suppressions.Count());

        // One re-engagement letter per person asked, carrying a signed stay link for them; it went out.
        var reengagement = final.Values.SelectMany(s => _outbox.ForSubscriber(s.Id)).Where(e => e.Source == "reengage").ToList();
        Assert.Equal(new[] { silent.Id, stayer.Id, graceOpener.Id, machine.Id }.Order(), reengagement.Select(e => e.SubscriberId).Order());
        foreach (var entry in reengagement)
        {
            Assert.Equal("still-interested", entry.LetterId);
            Assert.False(entry.Urgent);
            Assert.Equal(Day(reengagedOn[entry.SubscriberId], 3), entry.DueAt);
            var url = entry.Data!["stay_url"];
            Assert.StartsWith("https://drip.example/stay/", url);
            Assert.Equal(entry.SubscriberId, _signer.Verify(url["https://drip.example/stay/".Length..], TokenPurpose.Stay)?.SubscriberId);
            Assert.Equal(OutboxState.Sent, entry.State);
        }

        // Every decision across the two years, in the runs' reports and in the files, one row each.
        var decisions = runs.SelectMany(r => r.Decisions.Select(d => (r.At, d))).ToList();
        Assert.Equal(
            new[]
            {
                ("silent@example.org", PurgeAction.Reengage, 548), ("stayer@example.org", PurgeAction.Reengage, 548),
                ("machine@example.org", PurgeAction.Reengage, 548), ("silent@example.org", PurgeAction.Purge, 562),
                ("machine@example.org", PurgeAction.Purge, 562), ("grace@example.org", PurgeAction.Reengage, 579),
            }.Order(),
            decisions.Select(x => (x.d.Email, x.d.Action, (int)(x.At - Start).TotalDays)).Order());
        var files = runs.Where(r => r.ReportFile is not null).Select(r => r.ReportFile!).ToList();
        Assert.Equal(files.Order(StringComparer.Ordinal), Directory.GetFiles(_reports).Order(StringComparer.Ordinal));
        Assert.Equal(runs.Where(r => r.Decisions.Count > 0).Select(r => r.At), runs.Where(r => r.ReportFile is not null).Select(r => r.At));
        Assert.Equal(3, files.Count); // days 548, 562 and 579
        var rows = ReadRows(files);
        Assert.Equal(decisions.Count, rows.Count);
        string Row(string email, string action) => string.Join(',', Assert.Single(rows, r => r[0] == email && r[2] == action));
        Assert.Equal($"silent@example.org,{silent.Id},reengage,2024-01-01,,78,never opened or clicked; 78 letters since", Row("silent@example.org", "reengage"));
        Assert.Equal($"stayer@example.org,{stayer.Id},reengage,2024-01-01,,78,never opened or clicked; 78 letters since", Row("stayer@example.org", "reengage"));
        Assert.Equal($"machine@example.org,{machine.Id},reengage,2024-01-01,,78,never opened or clicked; 78 letters since", Row("machine@example.org", "reengage"));
        // At the purge: 80 weekly letters and the re-engagement letter itself.
        Assert.Equal($"silent@example.org,{silent.Id},purge,2024-01-01,,81,never opened or clicked; no answer to the re-engagement letter of 2025-07-02",
            Row("silent@example.org", "purge"));
        Assert.Equal($"machine@example.org,{machine.Id},purge,2024-01-01,,81,never opened or clicked; no answer to the re-engagement letter of 2025-07-02",
            Row("machine@example.org", "purge"));
        // Weekly letters after the open of day 30 (12:00): days 35 to 574.
        Assert.Equal($"grace@example.org,{graceOpener.Id},reengage,2024-01-01,2024-01-31,78,last opened or clicked 2024-01-31; 78 letters since",
            Row("grace@example.org", "reengage"));
        foreach (var untouched in new[] { "engaged@example.org", "quarterly@example.org", "young@example.org", "leaver@example.org" })
        {
            Assert.DoesNotContain(rows, r => r[0] == untouched);
        }

        // Nothing was deleted: the purged keep their records, timelines and sends.
        Assert.Equal(8, _subscribers.Count());
        Assert.Equal(81, _outbox.ForSubscriber(silent.Id).Count(e => e.State == OutboxState.Sent));

        // And on the last night, a dry run still leaves the quarterly subscriber (8 letters, never engaged) alone.
        Assert.Equal(8, _outbox.ForSubscriber(fewLetters.Id).Count);
        Assert.Empty(_purger.Run(dryRun: true).Decisions);
    }

    [Fact]
    public void A_dry_run_reports_the_same_decisions_and_changes_nothing()
    {
        var asked = Join("asked@example.org", Day(0));
        var silent = Join("silent@example.org", Day(0));
        for (var week = 1; week <= 80; week++)
        {
            _clock.SetUtcNow(Day(week * 7, 10));
            Sent(asked, "weekly");
            Sent(silent, "weekly");
        }
        _clock.SetUtcNow(Day(600));
        var before = _subscribers.Find(asked.Id)!;
        before.Engagement.ReengagementSentAt = Day(580);
        _subscribers.Save([before]);
        var outboxBefore = _outbox.CountByState();
        var historyBefore = (_history.ForSubscriber(asked.Id).Count, _history.ForSubscriber(silent.Id).Count);

        var dry = _purger.Run(dryRun: true);

        Assert.True(dry.DryRun);
        Assert.Null(dry.ReportFile);
        Assert.Equal((1, 1), (dry.Reengaged, dry.Purged));
        Assert.Equal(PurgeAction.Purge, Assert.Single(dry.Decisions, d => d.SubscriberId == asked.Id).Action);
        Assert.Equal(PurgeAction.Reengage, Assert.Single(dry.Decisions, d => d.SubscriberId == silent.Id).Action);
        Assert.False(Directory.Exists(_reports) && Directory.EnumerateFileSystemEntries(_reports).Any());
        Assert.Equal(SubscriberStatus.Active, _subscribers.Find(asked.Id)!.Status);
        Assert.Equal(Day(580), _subscribers.Find(asked.Id)!.Engagement.ReengagementSentAt);
        Assert.Equal(SubscriberStatus.Active, _subscribers.Find(silent.Id)!.Status);
        Assert.Null(_subscribers.Find(silent.Id)!.Engagement.ReengagementSentAt);
        Assert.Equal(0, _suppressions.Count());
        Assert.Equal(outboxBefore, _outbox.CountByState());
        Assert.Equal(historyBefore, (_history.ForSubscriber(asked.Id).Count, _history.ForSubscriber(silent.Id).Count));

        // The same night for real: exactly what the dry run announced.
        var real = _purger.Run(dryRun: false);
        Assert.Equal(dry.Decisions, real.Decisions);
        Assert.Equal(SubscriberStatus.Purged, _subscribers.Find(asked.Id)!.Status);
        Assert.Equal(Day(600), _subscribers.Find(silent.Id)!.Engagement.ReengagementSentAt);
        Assert.Equal(Path.Combine(_reports, "purge-20250823-030000.csv"), real.ReportFile);
        Assert.True(File.Exists(real.ReportFile));
    }

    [Fact]
    public void Someone_who_resubscribes_after_the_reengagement_letter_is_not_purged_for_not_answering_it()
    {
        var ada = Join("ada@example.org", Day(0));
        for (var week = 1; week <= 80; week++)
        {
            _clock.SetUtcNow(Day(week * 7, 10));
            Sent(ada, "weekly");
        }
        _clock.SetUtcNow(Day(600));
        Assert.Equal(PurgeAction.Reengage, Assert.Single(_purger.Run(dryRun: false).Decisions).Action);

        // They answer the letter with its unsubscribe link, then think better of it and press "resubscribe".
        _clock.SetUtcNow(Day(602, 12));
        Assert.True(_unsubscriber.Unsubscribe(ada.Id, "one-click"));
        _clock.SetUtcNow(Day(603, 12));
        Assert.True(_unsubscriber.Resubscribe(ada.Id, "resubscribed on the unsubscribe page"));

        for (var day = 604; day <= 620; day++)
        {
            _clock.SetUtcNow(Day(day));
            Assert.Empty(_purger.Run(dryRun: false).Decisions);
        }
        Assert.Equal(SubscriberStatus.Active, _subscribers.Find(ada.Id)!.Status);
    }

    [Fact]
    public void A_night_with_nothing_to_do_writes_no_report()
    {
        Join("new@example.org", Day(0));
        _clock.SetUtcNow(Day(30));

        var report = _purger.Run(dryRun: false);

        Assert.Empty(report.Decisions);
        Assert.Null(report.ReportFile);
        Assert.False(Directory.Exists(_reports));
    }

    public void Dispose()
    {
        _db.Dispose();
        if (Directory.Exists(_reports))
        {
            Directory.Delete(_reports, recursive: true);
        }
    }
}
