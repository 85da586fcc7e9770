using System.Text;
using Drip.Subscribers;
using Drip.UnitTests.Lifecycle;

namespace Drip.UnitTests.Subscribers;

/// <summary>
/// Every way a subscriber comes in gives a time-ordered id, so the store's id order is the order the documents were
/// written: a broadcast, which reads its recipients in id order, then reads neighbouring documents together.
/// </summary>
public sealed class SubscriberIdTests : IDisposable
{
    private readonly LifecycleWorld _w = new();

    [Fact]
    public void Imported_added_and_signed_up_subscribers_get_ids_in_the_order_they_came_in()
    {
        var importer = new SubscriberImporter(_w.Subscribers, _w.Suppressions, _w.Clock);
        var editor = new SubscriberEditor(_w.Subscribers, _w.Suppressions, _w.History, _w.Unsubscriber,
            new Pauses(_w.Subscribers, _w.Outbox, _w.History, _w.Clock), _w.Clock);
        var optIn = new OptIn(_w.Subscribers, _w.Outbox, _w.History, _w.Suppressions, _w.Signer, _w.Public, new OptInOptions(), _w.Clock);

        var order = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            importer.Import(new MemoryStream(Encoding.UTF8.GetBytes($"email\nimported{round}@example.org\n")), "test");
            order.Add($"imported{round}@example.org");
            _w.Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(EditOutcome.Done, editor.Create(new SubscriberDraft($"added{round}@example.org"), "api").Outcome);
            order.Add($"added{round}@example.org");
            _w.Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(SignUpResult.ConfirmationSent, optIn.SignUp($"signed{round}@example.org", null, "form", null));
            order.Add($"signed{round}@example.org");
            _w.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }

        var ids = order.Select(email => _w.Subscribers.FindByEmail(email)!.Id).ToList();
        Assert.All(ids, id => Assert.Equal(7, id.Version));
        // The store's own order: the id index, as a broadcast walks it.
        var stored = _w.Subscribers.Stream(new SubscriberFilter(null, new Dictionary<string, string>())).Select(s => s.Email).ToList();
        Assert.Equal(order, stored);
    }

    public void Dispose() => _w.Dispose();
}
