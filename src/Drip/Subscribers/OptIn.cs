using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Drip.Delivery;
using Drip.History;
using Drip.Outbox;
using Drip.Security;

namespace Drip.Subscribers;

/// <summary>Double opt-in settings (section <c>OptIn</c>).</summary>
public sealed class OptInOptions
{
    public const string Section = "OptIn";

    /// <summary>How long a confirmation link works; unconfirmed sign-ups are deleted after it.</summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A repeated sign-up within this sends no second confirmation (a form cannot be used to flood a mailbox).</summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The letter in <c>templates/letters/</c> that carries the confirmation link as <c>{{ confirm_url }}</c>.</summary>
    [Required]
    public string Letter { get; set; } = "confirm-subscription";
}

/// <summary>What a sign-up did; the page says "check your inbox" in every case, so it reveals nothing about who is on the list.</summary>
public enum SignUpResult
{
    ConfirmationSent,
    AlreadySubscribed,
    TooSoon,
    Refused,
}

/// <summary>
/// Double opt-in: a sign-up through the public form is kept as <see cref="SubscriberStatus.Pending"/> with
/// its consent record (time, IP, source) and gets one letter, the confirmation with a signed link; only
/// the click puts the person on the list (and lifts an earlier suppression, since they asked again).
/// Unconfirmed new sign-ups are deleted after <see cref="OptInOptions.ExpireAfter"/>; someone who had left
/// and signs up again keeps their record and status until they click.
/// </summary>
public sealed class OptIn(ISubscriberStore subscribers, IOutboxStore outbox, IHistoryStore history, ISuppressionStore suppressions,
    TokenSigner signer, PublicOptions publicOptions, OptInOptions options, TimeProvider clock)
{
    public SignUpResult SignUp(string email, string? firstName, string source, string? ip)
    {
        var address = EmailAddress.Normalise(email, out var error) ?? throw new ArgumentException(error, nameof(email));
        if (suppressions.Find(address) is { Reason: SuppressionReason.Complaint })
        {
            // They reported us as spam: a form filled in their name does not outweigh that.
            return SignUpResult.Refused;
        }
        // Whole milliseconds: the store keeps no finer, and the link's stamp must match what it kept.
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond));
        var subscriber = subscribers.FindByEmail(address);
        if (subscriber is { Status: SubscriberStatus.Active or SubscriberStatus.Paused })
        {
            return SignUpResult.AlreadySubscribed;
        }
        if (subscriber is { ConsentAt: { } asked, ConfirmedAt: null } && subscriber.Status != SubscriberStatus.Active && now - asked < options.ResendAfter)
        {
            return SignUpResult.TooSoon;
        }
        if (subscriber is null)
        {
            subscriber = new Subscriber { Id = Subscriber.NewId(now), Email = address, EmailKey = EmailAddress.Key(address), CreatedAt = now, Status = SubscriberStatus.Pending };
        }
        else if (subscriber.Status != SubscriberStatus.Pending)
        {
            // Someone who left (unsubscribed, bounced, purged) signs up again: the record keeps its status
            // (and the history that explains it) until the click.
            history.Append(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.Subscribed, Detail = $"signed up again via {source}; waiting for confirmation" });
        }
        subscriber.FirstName = string.IsNullOrWhiteSpace(firstName) ? subscriber.FirstName : firstName.Trim();
        subscriber.ConsentSource = source;
        subscriber.ConsentAt = now;
        subscriber.ConsentIp = ip;
        subscriber.ConfirmedAt = null;
        subscriber.UpdatedAt = now;
        subscribers.Save([subscriber]);

        var stamp = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        var url = $"{publicOptions.BaseUrl.TrimEnd('/')}/confirm/{signer.Sign(TokenPurpose.Confirm, subscriber.Id, stamp)}";
        var entry = OutboxEntry.Create($"optin:{subscriber.Id:N}:{stamp}", subscriber.Id, options.Letter, Delivery.Dispatcher.OptInSource, now, urgent: true, now);
        entry.Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["confirm_url"] = url };
        entry.Reason = "double opt-in confirmation, sent at once";
        outbox.Enqueue([entry]);
        return SignUpResult.ConfirmationSent;
    }

    /// <summary>Confirms a sign-up from its signed link; returns the subscriber, or null when the link is invalid or expired.</summary>
    public Subscriber? Confirm(string token)
    {
        if (signer.Verify(token, TokenPurpose.Confirm) is not { } t || subscribers.Find(t.SubscriberId) is not { } subscriber)
        {
            return null;
        }
        if (subscriber.Status is SubscriberStatus.Active or SubscriberStatus.Paused)
        {
            // A second click, or a click after the person joined another way: nothing to do, and no harm.
            return subscriber;
        }
        if (subscriber.ConfirmedAt is not null)
        {
            // This sign-up was confirmed and the person has left since: the old link is spent. Coming back takes a new
            // sign-up (which clears ConfirmedAt and sends a new link), so a forwarded or replayed letter resubscribes nobody.
            return null;
        }
        var now = clock.GetUtcNow();
        if (!long.TryParse(t.Scope, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks != subscriber.ConsentAt?.UtcTicks || now - new DateTimeOffset(ticks, TimeSpan.Zero) > options.ExpireAfter)
        {
            return null;
        }
        subscriber.Status = SubscriberStatus.Active;
        subscriber.ConfirmedAt = now;
        subscriber.UnsubscribedAt = null;
        subscriber.UpdatedAt = now;
        subscribers.Save([subscriber]);
        suppressions.Remove(subscriber.Email);
        history.Append(new HistoryEntry
        {
            SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.Confirmed,
            Detail = $"confirmed the sign-up of {subscriber.ConsentAt:u} via {subscriber.ConsentSource} from {subscriber.ConsentIp ?? "an unknown address"}",
        });
        return subscriber;
    }

    /// <summary>Deletes sign-ups never confirmed within <see cref="OptInOptions.ExpireAfter"/>: without consent nothing is kept.</summary>
    public int ExpireUnconfirmed()
    {
        var cutoff = clock.GetUtcNow() - options.ExpireAfter;
        var expired = subscribers.Stream(new SubscriberFilter(SubscriberStatus.Pending, new Dictionary<string, string>()))
            .Where(s => s.ConsentAt is null || s.ConsentAt < cutoff)
            .ToList();
        foreach (var s in expired)
        {
            outbox.Remove(outbox.ForSubscriber(s.Id).Select(e => e.Id).ToList());
            history.DeleteFor(s.Id);
            subscribers.Delete(s.Id);
        }
        return expired.Count;
    }
}
