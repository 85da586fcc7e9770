using System.Globalization;
using Drip.History;

namespace Drip.Subscribers;

/// <summary>A new subscriber as a caller describes it; the editor checks every field before anything is written.</summary>
public sealed record SubscriberDraft(
    string? Email, string? FirstName = null, string? MiddleName = null, string? LastName = null, string? TimeZone = null,
    string? Locale = null, IReadOnlyDictionary<string, string?>? Fields = null, string? ConsentSource = null);

/// <summary>
/// Changes to a subscriber: a null property stays as it is, an empty string clears it; a field set to null or
/// "" is removed. <see cref="Status"/> may be <c>unsubscribed</c> or <c>active</c> (see <see cref="SubscriberEditor.Update"/>).
/// </summary>
public sealed record SubscriberChanges(
    string? FirstName = null, string? MiddleName = null, string? LastName = null, string? TimeZone = null, string? Locale = null,
    IReadOnlyDictionary<string, string?>? Fields = null, string? Status = null);

public enum EditOutcome
{
    Done,
    Invalid,
    NotFound,

    /// <summary>The request is valid but the engine's rules refuse it (the address exists; a bounce cannot be undone here).</summary>
    Conflict,
}

/// <summary>What an edit did: the subscriber as stored, or the errors by field, or why it was refused.</summary>
public sealed record EditResult(EditOutcome Outcome, Subscriber? Subscriber, IReadOnlyDictionary<string, string[]> Errors, string? Reason)
{
    private static readonly Dictionary<string, string[]> NoErrors = [];

    public static EditResult Done(Subscriber s) => new(EditOutcome.Done, s, NoErrors, null);

    public static EditResult Conflict(string reason, Subscriber? s = null) => new(EditOutcome.Conflict, s, NoErrors, reason);

    public static readonly EditResult NotFound = new(EditOutcome.NotFound, null, NoErrors, "no such subscriber");
}

/// <summary>
/// Creates and changes single subscribers (the REST API, the admin pages) under the same rules as the importer:
/// time zones are IANA ids, field keys are what the importer makes of column names, date fields hold dates, an
/// address on the suppression list never comes back as active, and status changes go through <see cref="Unsubscriber"/>.
/// </summary>
public sealed class SubscriberEditor(ISubscriberStore subscribers, ISuppressionStore suppressions, IHistoryStore history,
    Unsubscriber unsubscriber, Pauses pauses, TimeProvider clock)
{
    public const int MaxNameLength = 200;
    public const int MaxFieldLength = 1000;

    public EditResult Create(SubscriberDraft draft, string how)
    {
        var errors = new Dictionary<string, List<string>>();
        var email = EmailAddress.Normalise(draft.Email, out var emailError);
        if (email is null)
        {
            Add(errors, "email", emailError ?? "email is required");
        }
        var subscriber = new Subscriber();
        ApplyProfile(subscriber, draft.FirstName, draft.MiddleName, draft.LastName, draft.TimeZone, draft.Locale, draft.Fields, errors);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (subscribers.FindByEmail(email!) is { } existing)
        {
            return EditResult.Conflict($"a subscriber with the email {existing.Email} exists", existing);
        }
        var now = clock.GetUtcNow();
        subscriber.Id = Subscriber.NewId(now);
        subscriber.Email = email!;
        subscriber.EmailKey = EmailAddress.Key(email!);
        subscriber.CreatedAt = subscriber.UpdatedAt = now;
        subscriber.ConsentAt = now;
        subscriber.ConsentSource = string.IsNullOrWhiteSpace(draft.ConsentSource) ? how : Clean(draft.ConsentSource);
        var detail = $"created via {how}";
        if (suppressions.Find(email!) is { } suppressed)
        {
            // The address left once (its record may since have been erased): a new record does not bring it back.
            subscriber.Status = suppressed.RecordStatus();
            subscriber.UnsubscribedAt = subscriber.Status == SubscriberStatus.Unsubscribed ? suppressed.At : null;
            detail += $"; kept {subscriber.Status.ToString().ToLowerInvariant()}, the address is on the suppression list";
        }
        subscribers.Save([subscriber]);
        history.Append(new HistoryEntry { SubscriberId = subscriber.Id, At = now, Kind = HistoryKind.Subscribed, Detail = detail });
        return EditResult.Done(subscriber);
    }

    /// <summary>
    /// Applies <paramref name="changes"/>. Status <c>unsubscribed</c> unsubscribes (someone already off the list for a
    /// bounce, complaint or purge stays as they are); <c>active</c> puts back someone who unsubscribed, which lifts their
    /// suppression, and is refused for bounced, complaining, purged or pending people, who come back only through a new
    /// confirmed opt-in.
    /// </summary>
    public EditResult Update(Guid id, SubscriberChanges changes, string how)
    {
        if (subscribers.Find(id) is not { } subscriber)
        {
            return EditResult.NotFound;
        }
        var errors = new Dictionary<string, List<string>>();
        ApplyProfile(subscriber, changes.FirstName, changes.MiddleName, changes.LastName, changes.TimeZone, changes.Locale, changes.Fields, errors);
        SubscriberStatus? target = null;
        if (changes.Status is { } status)
        {
            target = status.Trim().ToLowerInvariant() switch
            {
                "unsubscribed" => SubscriberStatus.Unsubscribed,
                "active" => SubscriberStatus.Active,
                _ => null,
            };
            if (target is null)
            {
                Add(errors, "status", $"status '{status}' cannot be set; use 'unsubscribed' or 'active'");
            }
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (target == SubscriberStatus.Active && subscriber.Status is not (SubscriberStatus.Active or SubscriberStatus.Unsubscribed or SubscriberStatus.Paused))
        {
            return EditResult.Conflict(
                $"a {subscriber.Status.ToString().ToLowerInvariant()} subscriber comes back only through a new confirmed opt-in (the sign-up form)", subscriber);
        }
        subscriber.UpdatedAt = clock.GetUtcNow();
        subscribers.Save([subscriber]);
        if (target == SubscriberStatus.Unsubscribed && subscriber.Status is SubscriberStatus.Active or SubscriberStatus.Paused or SubscriberStatus.Pending)
        {
            unsubscriber.Unsubscribe(id, how);
        }
        else if (target == SubscriberStatus.Active && subscriber.Status == SubscriberStatus.Unsubscribed)
        {
            unsubscriber.Resubscribe(id, how);
        }
        else if (target == SubscriberStatus.Active && subscriber.Status == SubscriberStatus.Paused)
        {
            pauses.Resume(id, how);
        }
        return EditResult.Done(subscribers.Find(id) ?? subscriber);
    }

    /// <summary>Whether <paramref name="zone"/> is an IANA id (Europe/Moscow), not a Windows one (Russian Standard Time).</summary>
    public static bool IsIanaTimeZone(string zone) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;

    private static void ApplyProfile(Subscriber s, string? first, string? middle, string? last, string? zone, string? locale,
        IReadOnlyDictionary<string, string?>? fields, Dictionary<string, List<string>> errors)
    {
        s.FirstName = Name(first, s.FirstName, "firstName", errors);
        s.MiddleName = Name(middle, s.MiddleName, "middleName", errors);
        s.LastName = Name(last, s.LastName, "lastName", errors);
        if (zone is not null)
        {
            var z = zone.Trim();
            if (z.Length > 0 && !IsIanaTimeZone(z))
            {
                Add(errors, "timeZone", $"'{zone}' is not an IANA time zone id such as Europe/Moscow");
            }
            s.TimeZone = z.Length == 0 ? null : z;
        }
        if (locale is not null)
        {
            var l = locale.Trim();
            if (l.Length > 0 && !IsLocale(l))
            {
                Add(errors, "locale", $"'{locale}' is not a known locale such as en-GB or ru-RU");
            }
            s.Locale = l.Length == 0 ? null : l;
        }
        foreach (var (key, value) in fields ?? new Dictionary<string, string?>())
        {
            if (!SubscriberQuery.IsFieldKey(key))
            {
                Add(errors, "fields", $"'{key}' is not a field key: use letters, digits and underscores");
                continue;
            }
            if (SubscriberImporter.IsKnownColumn(key))
            {
                // An export would write it as a column the importer reads as something else.
                Add(errors, "fields", $"'{key}' names a subscriber column (email, names, time zone …), not a custom field");
                continue;
            }
            var v = value is null ? "" : Clean(value);
            if (v.Length == 0)
            {
                s.Fields.Remove(key);
                continue;
            }
            if (v.Length > MaxFieldLength)
            {
                Add(errors, "fields", $"{key} is longer than {MaxFieldLength} characters");
                continue;
            }
            if (DateField.IsDateColumn(key))
            {
                if (DateField.Normalise(v) is not { } date)
                {
                    Add(errors, "fields", $"{key} '{v}' is not a date (use YYYY-MM-DD, DD.MM.YYYY or --MM-DD)");
                    continue;
                }
                v = date;
            }
            s.Fields[key] = v;
        }
    }

    private static string? Name(string? value, string? current, string field, Dictionary<string, List<string>> errors)
    {
        if (value is null)
        {
            return current;
        }
        var cleaned = Clean(value);
        if (cleaned.Length > MaxNameLength)
        {
            Add(errors, field, $"{field} is longer than {MaxNameLength} characters");
        }
        return cleaned.Length == 0 ? null : cleaned;
    }

    private static bool IsLocale(string name)
    {
        try
        {
            return name.Length <= 35 && CultureInfo.GetCultureInfo(name, predefinedOnly: true) is { Name.Length: > 0 };
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }

    // Names and fields end up in headers and pages: control characters (CR/LF among them) never get in.
    private static string Clean(string value) =>
        new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }
        list.Add(message);
    }

    private static EditResult Invalid(Dictionary<string, List<string>> errors) =>
        new(EditOutcome.Invalid, null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()), "the request has invalid fields");
}
