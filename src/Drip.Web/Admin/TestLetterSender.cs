using Drip.Delivery;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using Drip.Web.Security;

namespace Drip.Web.Admin;

/// <summary>
/// "Send a test to me": one rendered letter to the signed-in admin's own address, through the same transport and
/// <see cref="MessageBuilder"/> as every real letter (headers, DKIM), with "[Test] " before the subject. It leaves no
/// trace in the engine (no outbox entry, no stats, no history), and its links stay as inert as the preview's: the
/// message is addressed to a subscriber id no one has, so even the List-Unsubscribe header acts for nobody.
/// </summary>
internal sealed class TestLetterSender(ILetterTransport transport, MessageBuilder messages, TimeProvider clock)
{
    public const int PerMinute = 10;
    public const string SubjectPrefix = "[Test] ";

    private readonly RecentAttempts _recent = new(PerMinute, TimeSpan.FromMinutes(1), clock);

    /// <summary>Counts a test for this admin; false when they have sent <see cref="PerMinute"/> in the last minute.</summary>
    public bool TryTake(string admin) => _recent.TryTake(admin);

    public async Task<SendOutcome> SendAsync(string letterId, RenderedLetter letter, string adminEmail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // A fresh key per test: each one is its own message, never mistaken for a retry of the last.
        var entry = OutboxEntry.Create($"test:{letterId}:{Guid.NewGuid():N}", Guid.Empty, letterId, "test", now, urgent: true, now);
        var recipient = new Subscriber { Id = Guid.Empty, Email = adminEmail, EmailKey = adminEmail.ToLowerInvariant() };
        using var message = messages.Build(entry, recipient, letter with { Subject = SubjectPrefix + letter.Subject });
        using var session = transport.OpenSession();
        // A session blocks on its socket: off the request's thread.
        return await Task.Run(() => session.Send(message, messages.EnvelopeFrom(Guid.Empty), MessageBuilder.Recipient(recipient), cancellationToken), cancellationToken);
    }
}
