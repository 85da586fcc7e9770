using System.Text;
using Drip.Delivery;
using Drip.Security;
using Drip.Storage;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.UnitTests.Subscribers;

/// <summary>
/// Every way a subscriber comes in gives a time-ordered id, so the store's id order is the order the documents were
/// written: a broadcast, which reads its recipients in id order, then reads neighbouring documents together.
/// </summary>
public sealed class SubscriberIdTests : IDisposable
{
    private readonly DripDatabase _db = new(new MemoryStream());
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Imported_added_and_signed_up_subscribers_get_ids_in_the_order_they_came_in()
    {
        var subscribers = new LiteSubscriberStore(_db);
        var suppressions = new LiteSuppressionStore(_db);
        var history = new LiteHistoryStore(_db);
        var outbox = new LiteOutboxStore(_db);
        var importer = new SubscriberImporter(subscribers, suppressions, _clock);
        var editor = new SubscriberEditor(subscribers, suppressions, history, new Unsubscriber(subscribers, new Drip.Changes.GroupCommit(new LiteChangeWriter(_db, _clock)), _clock),
            new Pauses(subscribers, outbox, history, _clock), _clock);
        var signer = new TokenSigner(new Dictionary<string, byte[]> { ["k"] = Enumerable.Repeat((byte)7, 32).ToArray() }, "k");
        var optIn = new OptIn(subscribers, outbox, history, suppressions, signer, new PublicOptions { BaseUrl = "https://drip.example" }, new OptInOptions(), _clock);

        var order = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            importer.Import(new MemoryStream(Encoding.UTF8.GetBytes($"email\nimported{round}@example.org\n")), "test");
            order.Add($"imported{round}@example.org");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(EditOutcome.Done, editor.Create(new SubscriberDraft($"added{round}@example.org"), "api").Outcome);
            order.Add($"added{round}@example.org");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(SignUpResult.ConfirmationSent, optIn.SignUp($"signed{round}@example.org", null, "form", null));
            order.Add($"signed{round}@example.org");
            _clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var ids = order.Select(email => subscribers.FindByEmail(email)!.Id).ToList();
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        // The store's own order: the id index, as a broadcast walks it.
        var stored = subscribers.Stream(new SubscriberFilter(null, new Dictionary<string, string>())).Select(s => s.Email).ToList();
        Assert.Equal(order, stored);
    }

    public void Dispose() => _db.Dispose();
}
