using Drip.Delivery;
using Drip.History;
using Drip.Outbox;
using Drip.Security;
using Drip.Subscribers;

namespace Drip.UnitTests.Lifecycle;

/// <summary>Double opt-in from the sign-up form to the confirmed subscriber, and what the dispatcher does in between.</summary>
public sealed class OptInTests : IDisposable
{
    private readonly LifecycleWorld _w = new();
    private readonly OptInOptions _options = new();
    private readonly OptIn _optIn;

    public OptInTests()
    {
        _optIn = new OptIn(_w.Subscribers, _w.Outbox, _w.History, _w.Suppressions, _w.Signer, _w.Public, _options, _w.Clock);
    }

    private OutboxEntry ConfirmationOf(Subscriber s) =>
        Assert.Single(_w.Outbox.ForSubscriber(s.Id), e => e.Source == Dispatcher.OptInSource);

    private static string TokenOf(OutboxEntry confirmation)
    {
        var url = confirmation.Data!["confirm_url"];
        Assert.StartsWith("https://drip.example/confirm/", url);
        return url["https://drip.example/confirm/".Length..];
    }

    private Subscriber SignUp(string email)
    {
        Assert.Equal(SignUpResult.ConfirmationSent, _optIn.SignUp(email, "Ada", "form:footer", "203.0.113.9"));
        return _w.Subscribers.FindByEmail(email)!;
    }

    [Fact]
    public void A_sign_up_keeps_a_pending_subscriber_with_the_consent_record_and_queues_one_urgent_confirmation()
    {
        var now = _w.Clock.GetUtcNow();

        var result = _optIn.SignUp("  Ada@Example.ORG ", " Ada ", "form:footer", "203.0.113.9");

        Assert.Equal(SignUpResult.ConfirmationSent, result);
        var ada = Assert.Single(_w.Subscribers.Stream(new SubscriberFilter(null, new Dictionary<string, string>())));
        Assert.Equal(("Ada@example.org", "ada@example.org", "Ada"), (ada.Email, ada.EmailKey, ada.FirstName));
        Assert.Equal(SubscriberStatus.Pending, ada.Status);
        Assert.Equal(("form:footer", now, "203.0.113.9"), (ada.ConsentSource, ada.ConsentAt, ada.ConsentIp));
        Assert.Null(ada.ConfirmedAt);
        Assert.False(ada.IsMailable);

        var letter = Assert.Single(_w.Outbox.ForSubscriber(ada.Id));
        Assert.Equal((Dispatcher.OptInSource, "confirm-subscription", true, OutboxState.Due), (letter.Source, letter.LetterId, letter.Urgent, letter.State));
        Assert.Equal((now, now), (letter.DueAt, letter.ReadyAt));
        Assert.Contains("/confirm/", letter.Data!["confirm_url"]);
        var token = _w.Signer.Verify(TokenOf(letter), TokenPurpose.Confirm);
        Assert.Equal(ada.Id, token?.SubscriberId);
        Assert.Equal(now.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), token?.Scope);
    }

    [Fact]
    public void The_link_confirms_the_subscriber_and_a_second_click_is_harmless()
    {
        var ada = SignUp("ada@example.org");
        var token = TokenOf(ConfirmationOf(ada));
        _w.Clock.Advance(TimeSpan.FromHours(5));
        var confirmedAt = _w.Clock.GetUtcNow();

        var confirmed = _optIn.Confirm(token);

        Assert.Equal(ada.Id, confirmed?.Id);
        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Active, confirmedAt), (stored.Status, stored.ConfirmedAt));
        var entry = Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Confirmed);
        Assert.Equal(confirmedAt, entry.At);
        Assert.Contains("form:footer", entry.Detail);
        Assert.Contains("203.0.113.9", entry.Detail);

        _w.Clock.Advance(TimeSpan.FromDays(30)); // well past ExpireAfter: an active person's click still does no harm
        var again = _optIn.Confirm(token);

        Assert.Equal(ada.Id, again?.Id);
        stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Active, confirmedAt), (stored.Status, stored.ConfirmedAt));
        Assert.Single(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Confirmed);
        Assert.Single(_w.Outbox.ForSubscriber(ada.Id));
    }

    [Fact]
    public void A_tampered_link_a_link_for_another_purpose_and_an_expired_link_confirm_nothing()
    {
        var ada = SignUp("ada@example.org");
        var token = TokenOf(ConfirmationOf(ada));
        var parts = token.Split('.');
        var mac = parts[2].ToCharArray();
        mac[5] = mac[5] == 'A' ? 'B' : 'A';
        var tampered = $"{parts[0]}.{parts[1]}.{new string(mac)}";
        var scope = _w.Signer.Verify(token, TokenPurpose.Confirm)!.Scope;
        var unsubscribeToken = _w.Signer.Sign(TokenPurpose.Unsubscribe, ada.Id, scope);
        var otherSignUp = _w.Signer.Sign(TokenPurpose.Confirm, ada.Id, (_w.Clock.GetUtcNow().UtcTicks - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Null(_optIn.Confirm(tampered));
        Assert.Null(_optIn.Confirm(unsubscribeToken));
        Assert.Null(_optIn.Confirm(otherSignUp));
        Assert.Null(_optIn.Confirm(""));
        Assert.Null(_optIn.Confirm("not-a-token"));

        _w.Clock.Advance(_options.ExpireAfter + TimeSpan.FromMinutes(1));
        Assert.Null(_optIn.Confirm(token));

        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Pending, (DateTimeOffset?)null), (stored.Status, stored.ConfirmedAt));
        Assert.DoesNotContain(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.Confirmed);
    }

    [Fact]
    public void The_link_still_works_just_before_it_expires()
    {
        var ada = SignUp("ada@example.org");
        _w.Clock.Advance(_options.ExpireAfter - TimeSpan.FromMinutes(1));

        Assert.Equal(SubscriberStatus.Active, _optIn.Confirm(TokenOf(ConfirmationOf(ada)))?.Status);
    }

    [Fact]
    public void A_repeated_sign_up_within_ResendAfter_sends_no_second_letter_and_after_it_one_new_link()
    {
        var ada = SignUp("ada@example.org");
        var first = ConfirmationOf(ada);

        _w.Clock.Advance(_options.ResendAfter - TimeSpan.FromSeconds(1));
        Assert.Equal(SignUpResult.TooSoon, _optIn.SignUp("ADA@example.org", "Ada", "form:footer", "203.0.113.9"));
        Assert.Single(_w.Outbox.ForSubscriber(ada.Id));
        Assert.Equal(first.CreatedAt, _w.Subscribers.Find(ada.Id)!.ConsentAt);

        _w.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(SignUpResult.ConfirmationSent, _optIn.SignUp("ada@example.org", null, "form:popup", "198.51.100.4"));
        var letters = _w.Outbox.ForSubscriber(ada.Id);
        Assert.Equal(2, letters.Count);
        var second = Assert.Single(letters, e => e.Id != first.Id);
        Assert.Equal(1, _w.Subscribers.Count());
        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal(("Ada", "form:popup", "198.51.100.4", _w.Clock.GetUtcNow()), (stored.FirstName, stored.ConsentSource, stored.ConsentIp, stored.ConsentAt));

        // Only the newest link confirms: the first one names a sign-up that has been replaced.
        Assert.Null(_optIn.Confirm(TokenOf(first)));
        Assert.Equal(SubscriberStatus.Active, _optIn.Confirm(TokenOf(second))?.Status);
    }

    [Fact]
    public void Expiry_deletes_unconfirmed_new_sign_ups_but_keeps_a_returning_persons_record_and_status()
    {
        var returning = _w.Add("back@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(200));
        Assert.True(_w.Unsubscriber.Unsubscribe(returning.Id, "one-click"));
        var stranger = SignUp("stranger@example.org");
        Assert.Equal(SignUpResult.ConfirmationSent, _optIn.SignUp("back@example.org", "Bea", "form:footer", null));
        _w.Clock.Advance(TimeSpan.FromDays(6));
        var recent = SignUp("recent@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.Equal(1, _optIn.ExpireUnconfirmed());

        Assert.Null(_w.Subscribers.Find(stranger.Id));
        Assert.Null(_w.Subscribers.FindByEmail("stranger@example.org"));
        Assert.Empty(_w.Outbox.ForSubscriber(stranger.Id));
        Assert.Empty(_w.History.ForSubscriber(stranger.Id));

        var back = _w.Subscribers.Find(returning.Id)!;
        Assert.Equal(SubscriberStatus.Unsubscribed, back.Status);
        Assert.Equal(SuppressionReason.Unsubscribed, _w.Suppressions.Find("back@example.org")?.Reason);
        Assert.Contains(_w.History.ForSubscriber(returning.Id), h => h.Kind == HistoryKind.Unsubscribed);
        Assert.Contains(_w.History.ForSubscriber(returning.Id), h => h.Kind == HistoryKind.Subscribed && h.Detail.Contains("signed up again", StringComparison.Ordinal));

        Assert.Equal(SubscriberStatus.Pending, _w.Subscribers.Find(recent.Id)?.Status);
        Assert.Single(_w.Outbox.ForSubscriber(recent.Id));
        Assert.Equal(2, _w.Subscribers.Count());

        Assert.Equal(0, _optIn.ExpireUnconfirmed());
    }

    [Fact]
    public void An_address_that_complained_is_refused_and_nothing_is_written()
    {
        var angry = _w.Add("angry@example.org");
        _w.Unsubscriber.Suppress(angry, SubscriberStatus.Complained, SuppressionReason.Complaint, "abuse report");
        _w.Suppressions.Add(new Suppression { Id = Suppression.HashOf("gone@example.org"), Reason = SuppressionReason.Complaint, At = _w.Clock.GetUtcNow() });
        var before = _w.Subscribers.Find(angry.Id)!;

        Assert.Equal(SignUpResult.Refused, _optIn.SignUp("Angry@Example.org", "A", "form:footer", null));
        Assert.Equal(SignUpResult.Refused, _optIn.SignUp("gone@example.org", "G", "form:footer", null));

        Assert.Empty(_w.Outbox.ForSubscriber(angry.Id));
        Assert.Null(_w.Subscribers.FindByEmail("gone@example.org"));
        Assert.Equal(1, _w.Subscribers.Count());
        var after = _w.Subscribers.Find(angry.Id)!;
        Assert.Equal((SubscriberStatus.Complained, before.ConsentAt, before.ConsentSource), (after.Status, after.ConsentAt, after.ConsentSource));
    }

    [Fact]
    public void An_active_subscriber_is_told_nothing_new_and_gets_no_letter()
    {
        var ada = _w.Add("ada@example.org");
        var consentAt = ada.ConsentAt;
        _w.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(SignUpResult.AlreadySubscribed, _optIn.SignUp("ada@example.org", "Someone", "form:footer", "192.0.2.1"));

        Assert.Empty(_w.Outbox.ForSubscriber(ada.Id));
        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Active, consentAt, "test", "Ada"), (stored.Status, stored.ConsentAt, stored.ConsentSource, stored.FirstName));
    }

    [Fact]
    public void Confirming_a_new_sign_up_lifts_an_earlier_unsubscribe()
    {
        var ada = _w.Add("ada@example.org");
        _w.Unsubscriber.Unsubscribe(ada.Id, "one-click");
        _w.Clock.Advance(TimeSpan.FromDays(40));

        Assert.Equal(SignUpResult.ConfirmationSent, _optIn.SignUp("ada@example.org", "Ada", "form:footer", null));
        // Until the click nothing changes: still unsubscribed and suppressed.
        Assert.Equal(SubscriberStatus.Unsubscribed, _w.Subscribers.Find(ada.Id)!.Status);
        Assert.Equal(SuppressionReason.Unsubscribed, _w.Suppressions.Find("ada@example.org")?.Reason);

        var confirmed = _optIn.Confirm(TokenOf(ConfirmationOf(ada)));

        Assert.Equal(ada.Id, confirmed?.Id);
        var stored = _w.Subscribers.Find(ada.Id)!;
        Assert.Equal((SubscriberStatus.Active, (DateTimeOffset?)null, _w.Clock.GetUtcNow()), (stored.Status, stored.UnsubscribedAt, stored.ConfirmedAt));
        Assert.Null(_w.Suppressions.Find("ada@example.org"));
        Assert.Equal(0, _w.Suppressions.Count());
    }

    [Fact]
    public async Task The_dispatcher_sends_the_confirmation_to_a_pending_subscriber_and_skips_anything_else()
    {
        var ada = SignUp("ada@example.org");
        var confirmation = ConfirmationOf(ada);
        var campaign = OutboxEntry.Create($"campaign:spring:{ada.Id:N}", ada.Id, "news", "campaign:spring", _w.Clock.GetUtcNow(), false, _w.Clock.GetUtcNow());
        _w.Outbox.Enqueue([campaign]);

        var report = await _w.DispatchAsync();

        Assert.Equal((1, 1, 0), (report.Sent, report.Skipped, report.Failed));
        var (to, message) = Assert.Single(_w.Transport.Sent);
        Assert.Equal("ada@example.org", to);
        Assert.Equal("Ada, please confirm your subscription", message.Subject);
        var url = confirmation.Data!["confirm_url"];
        Assert.Contains(url, message.TextBody);
        Assert.Contains($"href=\"{url}\"", message.HtmlBody);
        Assert.Equal(OutboxState.Sent, _w.Outbox.Find(confirmation.Id)!.State);
        var skipped = _w.Outbox.Find(campaign.Id)!;
        Assert.Equal((OutboxState.Skipped, "the subscriber is pending"), (skipped.State, skipped.LastError));
        Assert.Contains(_w.History.ForSubscriber(ada.Id), h => h.Kind == HistoryKind.LetterSkipped && h.OutboxId == campaign.Id);

        // Once confirmed, the same kind of letter goes out.
        Assert.NotNull(_optIn.Confirm(TokenOf(confirmation)));
        _w.Outbox.Enqueue([OutboxEntry.Create($"campaign:summer:{ada.Id:N}", ada.Id, "news", "campaign:summer", _w.Clock.GetUtcNow(), false, _w.Clock.GetUtcNow())]);
        Assert.Equal(1, (await _w.DispatchAsync()).Sent);
        Assert.Equal(["Ada, please confirm your subscription", "News"], _w.Transport.Sent.Select(s => s.Message.Subject));
    }

    [Fact]
    public async Task A_confirmation_letter_reaches_someone_who_unsubscribed_but_not_someone_who_complained()
    {
        var back = _w.Add("back@example.org");
        _w.Clock.Advance(TimeSpan.FromDays(200));
        _w.Unsubscriber.Unsubscribe(back.Id, "one-click");
        Assert.Equal(SignUpResult.ConfirmationSent, _optIn.SignUp("back@example.org", "Bea", "form:footer", null));
        var angry = _w.Add("angry@example.org", SubscriberStatus.Complained);
        var forged = OutboxEntry.Create($"optin:{angry.Id:N}:1", angry.Id, "confirm-subscription", Dispatcher.OptInSource, _w.Clock.GetUtcNow(), true, _w.Clock.GetUtcNow());
        forged.Data = new Dictionary<string, string> { ["confirm_url"] = "https://drip.example/confirm/x" };
        _w.Outbox.Enqueue([forged]);

        var report = await _w.DispatchAsync();

        Assert.Equal((1, 1), (report.Sent, report.Skipped));
        Assert.Equal("back@example.org", Assert.Single(_w.Transport.Sent).To);
        Assert.Equal("the subscriber is complained", _w.Outbox.Find(forged.Id)!.LastError);
    }

    public void Dispose() => _w.Dispose();
}
