using Drip.Events;
using Drip.History;
using Drip.Outbox;
using Drip.Subscribers;

namespace Drip.UnitTests.Lifecycle;

/// <summary>The suppression list across unsubscribes, erasure, imports and resubscribing.</summary>
public sealed class SuppressionTests : IDisposable
{
    private readonly LifecycleWorld _w = new();
    private readonly Eraser _eraser;
    private readonly SubscriberImporter _importer;

    public SuppressionTests()
    {
        _eraser = new Eraser(_w.Subscribers, _w.History, _w.Outbox, _w.Events, _w.Suppressions, _w.Clock);
        _importer = new SubscriberImporter(_w.Subscribers, _w.Suppressions, _w.Clock);
    }

    private ImportReport Import(string csv, string source = "crm.csv") => _importer.Import(new StringReader(csv), source);

    private OutboxEntry Queue(Subscriber s, string key, OutboxState state = OutboxState.Due)
    {
        var now = _w.Clock.GetUtcNow();
        var entry = OutboxEntry.Create($"{key}:{s.Id:N}", s.Id, "news", "campaign:" + key, now, false, now);
        if (state != OutboxState.Due)
        {
            entry.Close(state);
            entry.SentAt = state == OutboxState.Sent ? now : null;
        }
        _w.Outbox.Enqueue([entry]);
        return entry;
    }

    /// <summary>Every document of every collection as JSON, to look for an address anywhere in the store.</summary>
    private string EverythingStored() => string.Join('\n', _w.Db.Database.GetCollectionNames()
        .SelectMany(c => _w.Db.Database.GetCollection(c).FindAll())
        .Select(d => LiteDB.JsonSerializer.Serialize(d)));

    [Fact]
    public void An_unsubscribe_suppresses_the_hash_of_the_address_whatever_its_case()
    {
        var ada = _w.Add("Ada.Lovelace@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(3));
        var at = _w.Clock.GetUtcNow();

        Assert.True(_w.Unsubscriber.Unsubscribe(ada.Id, "one-click", "  too many letters "));

        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Unsubscribed, at), (stored.Status, stored.UnsubscribedAt));
        Assert.Equal("one-click; reason: too many letters", Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Unsubscribed).Detail);

        var hash = Suppression.HashOf("ada.lovelace@example.org");
        Assert.Equal(hash, Suppression.HashOf("ADA.LOVELACE@EXAMPLE.ORG"));
        Assert.Equal(hash, Suppression.HashOf("Ada.Lovelace@example.org"));
        Assert.NotEqual(hash, Suppression.HashOf("ada.lovelace@example.com"));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        foreach (var spelling in new[] { "Ada.Lovelace@example.org", "ada.lovelace@example.org", "ADA.LOVELACE@EXAMPLE.ORG" })
        {
            var s = _w.Suppressions.Find(spelling);
            Assert.NotNull(s);
            Assert.Equal((hash, SuppressionReason.Unsubscribed, at, "one-click"), (s.Id, s.Reason, s.At, s.Detail));
        }
        Assert.Equal(1, _w.Suppressions.Count());
        // The list holds the hash, not the address (nor the reason the person typed).
        var list = string.Join('\n', _w.Db.Suppressions.FindAll().Select(s => $"{s.Id} {s.Detail}"));
        Assert.DoesNotContain("lovelace", list, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("too many", list, StringComparison.Ordinal);

        // Idempotent: a second unsubscribe changes nothing.
        _w.Clock.Advance(TimeSpan.FromDays(1));
        Assert.True(_w.Unsubscriber.Unsubscribe(ada.Id, "mailto"));
        Assert.Equal(at, _w.Suppressions.Find("ada.lovelace@example.org")!.At);
        Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Unsubscribed);
        Assert.False(_w.Unsubscriber.Unsubscribe(Guid.NewGuid(), "one-click"));
    }

    [Fact]
    public void Forget_deletes_the_person_their_timeline_sends_and_events_and_keeps_only_the_hash()
    {
        var ada = _w.Add("ada@example.org");
        var bob = _w.Add("bob@example.org", first: "Bob");
        foreach (var s in new[] { ada, bob })
        {
            _w.History.Append(new HistoryEntry { SubscriberId = s.Id, At = _w.Clock.GetUtcNow(), Kind = HistoryKind.Subscribed, Detail = $"imported {s.Email}" });
            Queue(s, "spring", OutboxState.Sent);
            Queue(s, "summer");
            _w.Events.Add(new TriggerEvent { Id = Guid.NewGuid(), Name = "sale", SubscriberId = s.Id, OccurredAt = _w.Clock.GetUtcNow(), RecordedAt = _w.Clock.GetUtcNow() });
        }
        _w.Clock.Advance(TimeSpan.FromDays(10));

        Assert.True(_eraser.Forget(" ADA@Example.ORG "));

        Assert.Null(_w.Subscribers.Find(ada.Id));
        Assert.Null(_w.Subscribers.FindByEmail("ada@example.org"));
        Assert.Empty(_w.History.ForSubscriber(ada.Id));
        Assert.Empty(_w.Outbox.ForSubscriber(ada.Id));
        Assert.DoesNotContain(_w.Events.Unplanned(100), e => e.SubscriberId == ada.Id);
        Assert.Equal(0, _w.Db.Events.Count(e => e.SubscriberId == ada.Id));

        var suppression = _w.Suppressions.Find("ada@example.org");
        Assert.NotNull(suppression);
        Assert.Equal((Suppression.HashOf("ada@example.org"), SuppressionReason.Erased, _w.Clock.GetUtcNow()), (suppression.Id, suppression.Reason, suppression.At));
        Assert.Equal(1, _w.Suppressions.Count());
        Assert.DoesNotContain("ada@example.org", EverythingStored(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ada.Id.ToString(), EverythingStored(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ada.Id.ToString("N"), EverythingStored(), StringComparison.OrdinalIgnoreCase);

        // Bob is untouched.
        Assert.Equal(SubscriberStatus.Active, _w.Subscribers.Find(bob.Id)?.Status);
        Assert.Single(_w.History.ForSubscriber(bob.Id));
        Assert.Equal(2, _w.Outbox.ForSubscriber(bob.Id).Count);
        Assert.Single(_w.Events.Unplanned(100), e => e.SubscriberId == bob.Id);
        Assert.Null(_w.Suppressions.Find("bob@example.org"));
    }

    [Fact]
    public void Forget_of_an_unknown_address_returns_false_but_still_suppresses_it()
    {
        _w.Add("bob@example.org");

        Assert.False(_eraser.Forget("Nobody@Example.org"));

        Assert.Equal(SuppressionReason.Erased, _w.Suppressions.Find("nobody@example.org")?.Reason);
        Assert.Equal(1, _w.Subscribers.Count());
        Assert.Throws<ArgumentException>(() => _eraser.Forget("not an address"));
    }

    [Fact]
    public void Forget_turns_an_earlier_unsubscribe_into_an_erasure()
    {
        var ada = _w.Add("ada@example.org");
        _w.Unsubscriber.Unsubscribe(ada.Id, "one-click");

        Assert.True(_eraser.Forget("ada@example.org"));

        Assert.Equal(SuppressionReason.Erased, _w.Suppressions.Find("ada@example.org")?.Reason);
        Assert.Equal(1, _w.Suppressions.Count());
    }

    [Fact]
    public async Task Re_importing_an_erased_address_keeps_it_off_the_list_and_the_dispatcher_sends_it_nothing()
    {
        var ada = _w.Add("ada@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(5));
        _eraser.Forget("ada@example.org");
        var erasedAt = _w.Clock.GetUtcNow();
        _w.Clock.Advance(TimeSpan.FromDays(30));

        var report = Import("email,first_name,city\nAda@Example.org,Ada,Kazan\nbob@example.org,Bob,Perm\n");

        Assert.Empty(report.Errors);
        Assert.Equal((2, 0, 1), (report.Created, report.Updated, report.KeptOff));
        var back = _w.Subscribers.FindByEmail("ada@example.org")!;
        Assert.NotEqual(ada.Id, back.Id);
        Assert.False(back.IsMailable);
        Assert.Equal((SubscriberStatus.Unsubscribed, erasedAt), (back.Status, back.UnsubscribedAt));
        Assert.Equal("Kazan", back.Fields["city"]);
        Assert.Equal(SuppressionReason.Erased, _w.Suppressions.Find("ada@example.org")?.Reason);
        Assert.Equal(SubscriberStatus.Active, _w.Subscribers.FindByEmail("bob@example.org")?.Status);

        var toAda = Queue(back, "autumn");
        var toBob = Queue(_w.Subscribers.FindByEmail("bob@example.org")!, "autumn");
        var dispatched = await _w.DispatchAsync();

        Assert.Equal((1, 1), (dispatched.Sent, dispatched.Skipped));
        Assert.Equal("bob@example.org", Assert.Single(_w.Transport.Sent).To);
        var skipped = _w.Outbox.Find(toAda.Id)!;
        Assert.Equal(OutboxState.Skipped, skipped.State);
        // The import already set the status from the suppression, so the status is what the dispatcher names.
        Assert.Equal("the subscriber is unsubscribed", skipped.LastError);
        Assert.Equal(OutboxState.Sent, _w.Outbox.Find(toBob.Id)!.State);
    }

    [Fact]
    public async Task A_record_that_looks_active_but_whose_address_was_erased_is_skipped_for_the_suppression_list()
    {
        _w.Add("ada@example.org");
        _eraser.Forget("ada@example.org");
        // Re-created by something other than the importer (an API, a restore of an old backup): active on its face.
        var recreated = _w.Add("ADA@example.org");
        var entry = Queue(recreated, "winter");

        var dispatched = await _w.DispatchAsync();

        Assert.Equal((0, 1), (dispatched.Sent, dispatched.Skipped));
        Assert.Empty(_w.Transport.Sent);
        var skipped = _w.Outbox.Find(entry.Id)!;
        Assert.Equal(OutboxState.Skipped, skipped.State);
        Assert.Contains("suppression list", skipped.LastError);
        Assert.Equal("the address is on the suppression list (Erased)", skipped.LastError);
    }

    [Fact]
    public void An_imported_unsubscribe_bounce_or_complaint_is_suppressed_for_good()
    {
        var report = Import("email,status\nann@example.org,unsubscribed\nbo@example.org,bounced\ncy@example.org,spam\ndee@example.org,active\n", "mailchimp.csv");

        Assert.Empty(report.Errors);
        Assert.Equal((4, 3), (report.Created, report.KeptOff));
        Assert.Equal(SubscriberStatus.Unsubscribed, _w.Subscribers.FindByEmail("ann@example.org")?.Status);
        Assert.Equal(SubscriberStatus.Bounced, _w.Subscribers.FindByEmail("bo@example.org")?.Status);
        Assert.Equal(SubscriberStatus.Complained, _w.Subscribers.FindByEmail("cy@example.org")?.Status);
        Assert.Equal(SubscriberStatus.Active, _w.Subscribers.FindByEmail("dee@example.org")?.Status);
        var ann = _w.Suppressions.Find("ann@example.org");
        Assert.NotNull(ann);
        Assert.Equal((SuppressionReason.Unsubscribed, "imported as unsubscribed (mailchimp.csv)"), (ann.Reason, ann.Detail));
        Assert.Equal(SuppressionReason.HardBounce, _w.Suppressions.Find("bo@example.org")?.Reason);
        Assert.Equal(SuppressionReason.Complaint, _w.Suppressions.Find("cy@example.org")?.Reason);
        Assert.Null(_w.Suppressions.Find("dee@example.org"));
        Assert.Equal(3, _w.Suppressions.Count());

        // A later import that says "active" brings nobody back.
        var again = Import("email,status\nann@example.org,active\n");
        Assert.Equal((0, 1, 1), (again.Created, again.Updated, again.KeptOff));
        Assert.Equal(SubscriberStatus.Unsubscribed, _w.Subscribers.FindByEmail("ann@example.org")?.Status);
        Assert.Equal(SuppressionReason.Unsubscribed, _w.Suppressions.Find("ann@example.org")?.Reason);
    }

    [Fact]
    public void An_imported_unsubscribe_of_an_existing_active_subscriber_takes_them_off_and_suppresses_them()
    {
        var ada = _w.Add("ada@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(2));

        var report = Import("email,status\nADA@example.org,opted-out\n");

        Assert.Equal((0, 1, 1), (report.Created, report.Updated, report.KeptOff));
        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Unsubscribed, _w.Clock.GetUtcNow()), (stored.Status, stored.UnsubscribedAt));
        Assert.Equal(SuppressionReason.Unsubscribed, _w.Suppressions.Find("ada@example.org")?.Reason);
    }

    [Fact]
    public void Resubscribe_brings_back_someone_who_unsubscribed_and_lifts_the_suppression()
    {
        var ada = _w.Add("ada@example.org");
        _w.Unsubscriber.Unsubscribe(ada.Id, "one-click");
        _w.Clock.Advance(TimeSpan.FromHours(1));

        Assert.True(_w.Unsubscriber.Resubscribe(ada.Id, "resubscribed on the unsubscribe page"));

        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Active, (DateTimeOffset?)null, _w.Clock.GetUtcNow()), (stored.Status, stored.UnsubscribedAt, stored.UpdatedAt));
        Assert.Null(_w.Suppressions.Find("ada@example.org"));
        var entry = Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Resubscribed);
        Assert.Equal("resubscribed on the unsubscribe page", entry.Detail);

        // Already active: nothing to do, and no second timeline entry.
        Assert.True(_w.Unsubscriber.Resubscribe(ada.Id, "again"));
        Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Resubscribed);
        Assert.False(_w.Unsubscriber.Resubscribe(Guid.NewGuid(), "nobody"));
    }

    [Theory]
    [InlineData(SubscriberStatus.Bounced, SuppressionReason.HardBounce)]
    [InlineData(SubscriberStatus.Complained, SuppressionReason.Complaint)]
    [InlineData(SubscriberStatus.Purged, SuppressionReason.Purged)]
    public void Resubscribe_refuses_the_bounced_the_complaining_and_the_purged(SubscriberStatus status, SuppressionReason reason)
    {
        var ada = _w.Add("ada@example.org");
        _w.Unsubscriber.Suppress(ada, status, reason, "test");

        Assert.False(_w.Unsubscriber.Resubscribe(ada.Id, "resubscribed on the unsubscribe page"));

        Assert.Equal(status, _w.Subscribers.Find(ada.Id)!.Status);
        Assert.Equal(reason, _w.Suppressions.Find("ada@example.org")?.Reason);
        Assert.DoesNotContain(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Resubscribed);
    }

    [Fact]
    public void Resubscribe_refuses_a_pending_sign_up()
    {
        var pending = _w.Add("new@example.org", SubscriberStatus.Pending);

        Assert.False(_w.Unsubscriber.Resubscribe(pending.Id, "resubscribed on the unsubscribe page"));
        Assert.Equal(SubscriberStatus.Pending, _w.Subscribers.Find(pending.Id)!.Status);
    }

    public void Dispose() => _w.Dispose();
}
