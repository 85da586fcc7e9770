using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Security;
using Drip.Subscribers;

namespace Drip.Engagement;

/// <summary>What a purge run decides for one subscriber, and why.</summary>
public sealed record PurgeDecision(Guid SubscriberId, string Email, PurgeAction Action, string Why, DateTimeOffset Joined, DateTimeOffset? LastEngaged, int LettersSince);

public enum PurgeAction
{
    /// <summary>Gets the "do you still want these?" letter now.</summary>
    Reengage,

    /// <summary>Did not answer the re-engagement letter within the grace period: taken off every program, record kept.</summary>
    Purge,
}

/// <summary>One purge run: every decision, and the report file when it was not a dry run.</summary>
public sealed record PurgeReport(DateTimeOffset At, bool DryRun, IReadOnlyList<PurgeDecision> Decisions, string? ReportFile)
{
    public int Reengaged => Decisions.Count(d => d.Action == PurgeAction.Reengage);

    public int Purged => Decisions.Count(d => d.Action == PurgeAction.Purge);

    /// <summary>
    /// Who and what, in a short hash: a person who reviewed one list can confirm exactly that list, and a run
    /// whose list has changed since (someone opened a letter, a new name came due) can tell.
    /// </summary>
    public string Fingerprint => FingerprintOf(Decisions);

    public static string FingerprintOf(IEnumerable<PurgeDecision> decisions)
    {
        var list = string.Join('\n', decisions.Select(d => $"{d.SubscriberId:N}:{d.Action}").Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(list)))[..32];
    }
}

/// <summary>
/// List cleaning by the rules of <see cref="PurgeOptions"/>: subscribers silent for
/// <see cref="PurgeOptions.InactiveFor"/> who received at least <see cref="PurgeOptions.MinLetters"/> since
/// they last engaged get a re-engagement letter; those who still do not open, click or answer within
/// <see cref="PurgeOptions.Grace"/> are purged: status <see cref="SubscriberStatus.Purged"/>, suppressed, and
/// listed in a CSV report. Nobody on the list for less than the threshold is ever touched, and no record is deleted.
/// </summary>
public sealed class Purger(ISubscriberStore subscribers, IOutboxStore outbox, Unsubscriber unsubscriber, TokenSigner signer,
    PublicOptions publicOptions, PurgeOptions options, string reportFolder, TimeProvider clock)
{
    /// <summary>The folder the CSV reports of purge runs are written to (<c>purge-yyyyMMdd-HHmmss.csv</c>).</summary>
    public string ReportFolder => reportFolder;

    public PurgeReport Run(bool dryRun)
    {
        var now = clock.GetUtcNow();
        var decisions = Decide(now);
        return dryRun ? new PurgeReport(now, true, decisions, null) : Apply(now, decisions);
    }

    /// <summary>
    /// Runs the purge only if its list is still the one that was reviewed (<see cref="PurgeReport.Fingerprint"/>
    /// of a dry run); null, with nothing done, when the list has changed since.
    /// </summary>
    public PurgeReport? RunConfirmed(string fingerprint)
    {
        var now = clock.GetUtcNow();
        var decisions = Decide(now);
        return PurgeReport.FingerprintOf(decisions) == fingerprint ? Apply(now, decisions) : null;
    }

    private List<PurgeDecision> Decide(DateTimeOffset now)
    {
        var decisions = new List<PurgeDecision>();
        foreach (var page in subscribers.Stream(SubscriberFilter.Mailable).Chunk(1000))
        {
            var sends = outbox.ForSubscribers(page.Select(s => s.Id).ToList());
            foreach (var s in page)
            {
                if (Decide(s, sends.TryGetValue(s.Id, out var theirs) ? theirs : [], now) is { } decision)
                {
                    decisions.Add(decision);
                }
            }
        }
        return decisions;
    }

    private PurgeReport Apply(DateTimeOffset now, List<PurgeDecision> decisions)
    {
        foreach (var d in decisions)
        {
            if (subscribers.Find(d.SubscriberId) is not { } s)
            {
                continue;
            }
            if (d.Action == PurgeAction.Reengage)
            {
                Reengage(s, now);
            }
            else
            {
                unsubscriber.Suppress(s, SubscriberStatus.Purged, SuppressionReason.Purged, d.Why, $"purged: {d.Why}");
            }
        }
        return new PurgeReport(now, false, decisions, decisions.Count == 0 ? null : WriteReport(now, decisions));
    }

    private PurgeDecision? Decide(Subscriber s, IReadOnlyList<OutboxEntry> sends, DateTimeOffset now)
    {
        var joined = s.ConfirmedAt ?? s.ConsentAt ?? s.CreatedAt;
        if (now - joined < options.InactiveFor)
        {
            return null;
        }
        var last = s.Engagement.LastEngagedAt;
        if (last is { } l && now - l < options.InactiveFor)
        {
            return null;
        }
        var since = last ?? joined;
        var letters = sends.Count(e => e.State == OutboxState.Sent && (e.SentAt ?? e.DueAt) > since);
        var silent = last is null ? "never opened or clicked" : $"last opened or clicked {last:yyyy-MM-dd}";
        if (s.Engagement.ReengagementSentAt is { } asked)
        {
            return now - asked >= options.Grace
                ? new PurgeDecision(s.Id, s.Email, PurgeAction.Purge, $"{silent}; no answer to the re-engagement letter of {asked:yyyy-MM-dd}", joined, last, letters)
                : null;
        }
        return letters >= options.MinLetters
            ? new PurgeDecision(s.Id, s.Email, PurgeAction.Reengage, $"{silent}; {letters} letters since", joined, last, letters)
            : null;
    }

    private void Reengage(Subscriber s, DateTimeOffset now)
    {
        var stamp = now.UtcTicks.ToString(CultureInfo.InvariantCulture);
        var entry = OutboxEntry.Create($"reengage:{s.Id:N}:{stamp}", s.Id, options.Letter, "reengage", now, urgent: false, now);
        entry.Data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["stay_url"] = $"{publicOptions.BaseUrl.TrimEnd('/')}/stay/{signer.Sign(TokenPurpose.Stay, s.Id)}",
        };
        entry.Reason = $"re-engagement: silent for {options.InactiveFor.TotalDays:0} days";
        outbox.Enqueue([entry]);
        s.Engagement.ReengagementSentAt = now;
        s.UpdatedAt = now;
        subscribers.Save([s]);
    }

    private string WriteReport(DateTimeOffset now, IReadOnlyList<PurgeDecision> decisions)
    {
        Directory.CreateDirectory(reportFolder);
        var file = Path.Combine(reportFolder, $"purge-{now:yyyyMMdd-HHmmss}.csv");
        var csv = new StringBuilder("email,subscriber_id,action,joined,last_engaged,letters_since,reason\n");
        foreach (var d in decisions)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Field(d.Email)},{d.SubscriberId},{d.Action.ToString().ToLowerInvariant()},{d.Joined:yyyy-MM-dd},{d.LastEngaged:yyyy-MM-dd},{d.LettersSince},{Field(d.Why)}\n");
        }
        File.WriteAllText(file, csv.ToString());
        return file;
    }

    private static string Field(string value)
    {
        // A leading = + - @ would make a spreadsheet run the cell as a formula.
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\n") < 0 ? safe : $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }
}
