using Drip.Feedback;
using Drip.Letters;
using Drip.Reporting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Drip.Web.Api;

/// <summary>
/// <c>GET /api/stats</c>: the numbers the dashboard draws, as JSON. Rates are fractions of letters sent
/// (null before the first one); opens count people, machine opens (privacy proxies, scanners) are apart.
/// Subscribers, sends and the engagement structure are the dashboard's snapshot (<see cref="DashboardFigures"/>):
/// <c>engagement.at</c> says when they were counted; letter and program rates are live.
/// </summary>
internal static class StatsApi
{
    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/stats").WithTags("Stats").RequireAuthorization();
        group.MapGet("/", Get);
        return group;
    }

    private static Ok<DripStats> Get(ILetterStatsStore stats, TemplateLibrary library, DashboardFigures figures)
    {
        var letters = stats.All().OrderBy(l => l.Id, StringComparer.Ordinal).ToList();
        var programs = library.Programs.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p =>
        {
            var pool = p.Pool.Values.SelectMany(ids => ids).ToHashSet(StringComparer.Ordinal);
            return new ProgramStats(p.Id, p.Name, pool.Count, Counts.Sum(letters.Where(l => pool.Contains(l.Id))));
        }).ToList();
        var snapshot = figures.Current();
        var engagement = snapshot.Structure;
        return TypedResults.Ok(new DripStats(
            letters.Select(l => new LetterStatsRow(l.Id, Counts.Of(l))).ToList(),
            programs,
            snapshot.ByStatus.ToDictionary(kv => kv.Key.ToString().ToLowerInvariant(), kv => kv.Value),
            snapshot.Sends.ToDictionary(kv => kv.Key.ToString().ToLowerInvariant(), kv => kv.Value),
            new EngagementStructure(engagement.Active, engagement.Passive, engagement.Fans, new TypicalShares(0.17, 0.80, 0.03), snapshot.At)));
    }
}

internal sealed record DripStats(IReadOnlyList<LetterStatsRow> Letters, IReadOnlyList<ProgramStats> Programs,
    IReadOnlyDictionary<string, int> Subscribers, IReadOnlyDictionary<string, int> Sends, EngagementStructure Engagement);

internal sealed record LetterStatsRow(string Id, Counts Counts);

/// <summary>A program's totals over the letters in its pool; <see cref="Letters"/> is how many letters the pool holds.</summary>
internal sealed record ProgramStats(string Id, string Name, int Letters, Counts Counts);

/// <summary>Active, passive and fans among mailable subscribers, the shares of a typical base to compare with, and when they were counted.</summary>
internal sealed record EngagementStructure(int Active, int Passive, int Fans, TypicalShares Typical, DateTimeOffset At);

internal sealed record TypicalShares(double Active, double Passive, double Fans);

internal sealed record Rates(double? Open, double? Click, double? Unsubscribe, double? Bounce, double? Complaint);

internal sealed record Counts(int Sent, int Opens, int MachineOpens, int Clicks, int Unsubscribes, int Bounces, int Complaints, Rates Rates)
{
    public static Counts Of(LetterStats l) => Make(l.Sent, l.Opens, l.MachineOpens, l.Clicks, l.Unsubscribes, l.Bounces, l.Complaints);

    public static Counts Sum(IEnumerable<LetterStats> letters)
    {
        var list = letters.ToList();
        return Make(list.Sum(l => l.Sent), list.Sum(l => l.Opens), list.Sum(l => l.MachineOpens), list.Sum(l => l.Clicks),
            list.Sum(l => l.Unsubscribes), list.Sum(l => l.Bounces), list.Sum(l => l.Complaints));
    }

    private static Counts Make(int sent, int opens, int machineOpens, int clicks, int unsubscribes, int bounces, int complaints)
    {
        double? Rate(int n) => sent == 0 ? null : Math.Round((double)n / sent, 4);
        return new Counts(sent, opens, machineOpens, clicks, unsubscribes, bounces, complaints,
            new Rates(Rate(opens), Rate(clicks), Rate(unsubscribes), Rate(bounces), Rate(complaints)));
    }
}
