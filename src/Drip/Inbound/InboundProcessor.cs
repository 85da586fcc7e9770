using System.Text.RegularExpressions;
using Drip.Delivery;
using Drip.Feedback;
using Drip.Security;
using Drip.Subscribers;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Drip.Inbound;

/// <summary>What one inbound message turned out to be.</summary>
public enum InboundOutcome
{
    Ignored,
    HardBounce,
    SoftBounce,
    Delayed,
    PolicyBlock,
    Complaint,
    Unsubscribed,
}

/// <summary>
/// Reads the inbound mailbox and acts on each message: delivery reports (RFC 3464, and the plain-text kinds)
/// and complaints (RFC 5965) go to <see cref="BounceHandler"/>, tied to their subscriber by the VERP token,
/// else by the failed address; a mail to the <c>mailto:</c> unsubscribe address, or a reply that says STOP
/// or one of its kin, unsubscribes its sender. Anything else is left alone (and moved out of the way).
/// </summary>
public sealed partial class InboundProcessor(IInboundMailbox mailbox, ISubscriberStore subscribers, BounceHandler bounces, Unsubscriber unsubscriber,
    VerpAddress verp, TokenSigner signer, SenderOptions sender, ILogger<InboundProcessor> log)
{
    /// <summary>Handles what waits in the mailbox; returns how many messages were read.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        mailbox.ReadAsync((message, _) =>
        {
            try
            {
                Handle(message);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
            {
                // One odd message must not stop the mailbox; it is moved on and the reason logged.
                log.LogWarning(e, "Could not handle inbound message {MessageId}", message.MessageId);
            }
            return Task.CompletedTask;
        }, 500, cancellationToken);

    public IReadOnlyList<InboundOutcome> Handle(MimeMessage message)
    {
        var reports = ReportParser.Parse(message, verp.Prefix);
        if (reports.Count > 0)
        {
            var letterId = FeedbackLetter(message);
            return reports.Select(r => Apply(r, letterId)).ToList();
        }
        if (IsToUnsubscribeAddress(message))
        {
            return [UnsubscribeByMail(message)];
        }
        if (ReplyCommand.UnsubscribeWord(message) is { } word && SenderOf(message) is { } who)
        {
            return [unsubscriber.Unsubscribe(who.Id, $"replied '{word}'") ? InboundOutcome.Unsubscribed : InboundOutcome.Ignored];
        }
        return [InboundOutcome.Ignored];
    }

    private InboundOutcome Apply(DeliveryReport report, string? letterId)
    {
        Subscriber? subscriber;
        if (report.VerpToken is { } token)
        {
            // A token that is not ours (tampered, foreign, or a forged report) changes nothing: the failed
            // address in the same report is not trusted instead.
            subscriber = verp.SubscriberOf(token) is { } id ? subscribers.Find(id) : null;
            if (subscriber is null)
            {
                log.LogWarning("A {Kind} report carries a VERP token Drip did not sign; ignored", report.Kind);
                return InboundOutcome.Ignored;
            }
        }
        else
        {
            // No token survived (a mangled report, a feedback loop that strips it): the failed address decides.
            subscriber = report.Recipient is { } r ? subscribers.FindByEmail(r) : null;
        }
        if (subscriber is null)
        {
            log.LogInformation("A {Kind} report names no known subscriber (status {Status})", report.Kind, report.Status);
            return InboundOutcome.Ignored;
        }
        var detail = $"{report.Status} {report.Diagnostic}".Trim();
        switch (report.Kind)
        {
            case ReportKind.HardBounce:
                bounces.Hard(subscriber, detail, letterId);
                return InboundOutcome.HardBounce;
            case ReportKind.SoftBounce:
                bounces.Soft(subscriber, detail, letterId);
                return InboundOutcome.SoftBounce;
            case ReportKind.PolicyBlock:
                bounces.Policy(subscriber, detail, letterId);
                return InboundOutcome.PolicyBlock;
            case ReportKind.Complaint:
                bounces.Complaint(subscriber, $"{report.FeedbackType ?? "abuse"} report", letterId);
                return InboundOutcome.Complaint;
            case ReportKind.Delayed:
                // Still being tried by the receiving side: not a bounce.
                return InboundOutcome.Delayed;
            default:
                return InboundOutcome.Ignored;
        }
    }

    private bool IsToUnsubscribeAddress(MimeMessage message) =>
        sender.UnsubscribeAddress is { Length: > 0 } box
        && message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address)
            .Concat(message.Headers.Where(h => h.Field is "Delivered-To" or "X-Original-To").Select(h => h.Value.Trim()))
            .Any(a => string.Equals(a, box, StringComparison.OrdinalIgnoreCase));

    private InboundOutcome UnsubscribeByMail(MimeMessage message)
    {
        // The List-Unsubscribe mailto: carries the signed token in the subject; a mail without one still
        // unsubscribes the address it came from.
        var token = TokenInSubject().Match(message.Subject ?? "") is { Success: true } m ? m.Value : null;
        var id = signer.Verify(token, TokenPurpose.Unsubscribe)?.SubscriberId ?? SenderOf(message)?.Id;
        return id is { } subscriberId && unsubscriber.Unsubscribe(subscriberId, "mail to the unsubscribe address")
            ? InboundOutcome.Unsubscribed
            : InboundOutcome.Ignored;
    }

    private Subscriber? SenderOf(MimeMessage message) =>
        (message.ReplyTo.Mailboxes.FirstOrDefault() ?? message.From.Mailboxes.FirstOrDefault()) is { } from ? subscribers.FindByEmail(from.Address) : null;

    /// <summary>The letter a report is about, from the Feedback-ID header Drip puts on every letter ("letter:source:drip").</summary>
    private static string? FeedbackLetter(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MessagePart>())
        {
            if (part.Message?.Headers["Feedback-ID"] is { } value)
            {
                return value.Split(':')[0].Trim();
            }
        }
        var text = message.TextBody ?? "";
        return FeedbackIdLine().Match(text) is { Success: true } m ? m.Groups["letter"].Value : null;
    }

    [GeneratedRegex(@"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")]
    private static partial Regex TokenInSubject();

    [GeneratedRegex(@"^Feedback-ID:\s*(?<letter>[^:\s]+):", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex FeedbackIdLine();
}
