using Drip.Letters;

namespace Drip.Feedback;

/// <summary>One week of a program's letters: the counts of every letter it sends, summed.</summary>
public sealed record WeekOfLetters(DateOnly Monday, int Sent, int Opens, int Clicks, int Unsubscribes, int Bounces)
{
    /// <summary>A count as a share of the week's sends; 0 in a week with nothing sent.</summary>
    public double RateOf(int count) => Sent == 0 ? 0 : (double)count / Sent;
}

/// <summary>A program (or sequence, or date letter) and its recent weeks, oldest first.</summary>
public sealed record ProgramTrend(string Source, string Name, IReadOnlyList<WeekOfLetters> Weeks);

/// <summary>
/// Rates per program over time: the weekly letter counts summed per program, sequence and date letter.
/// A letter belongs to whatever lists it in <c>templates/</c> (the first, when several do); letters nothing
/// lists (campaigns, the re-engagement letter) are summed under "Other letters".
/// </summary>
public sealed class ProgramTrends(ILetterStatsStore stats, TemplateLibrary library, TimeProvider clock)
{
    public const string OtherSource = "other";

    /// <summary>
    /// The last <paramref name="weeks"/> ISO weeks (UTC) up to this one, for every program, and for each
    /// sequence, date letter or the other letters only when they sent something in that time.
    /// </summary>
    public IReadOnlyList<ProgramTrend> LastWeeks(int weeks)
    {
        var thisMonday = WeeklyLetterStats.MondayOf(clock.GetUtcNow());
        var first = thisMonday.AddDays(-7 * (weeks - 1));
        var sources = library.Sources();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var letter in source.LetterIds)
            {
                owner.TryAdd(letter, source.Source);
            }
        }
        var buckets = stats.Weekly(first)
            .GroupBy(w => (Source: owner.GetValueOrDefault(w.LetterId, OtherSource), w.Monday))
            .ToDictionary(g => g.Key, g => new WeekOfLetters(DateOnly.FromDateTime(g.Key.Monday),
                g.Sum(w => w.Sent), g.Sum(w => w.Opens), g.Sum(w => w.Clicks), g.Sum(w => w.Unsubscribes), g.Sum(w => w.Bounces)));

        var trends = new List<ProgramTrend>();
        foreach (var (source, name) in sources.Select(s => (s.Source, s.Name)).Append((OtherSource, "Other letters")))
        {
            var series = Enumerable.Range(0, weeks)
                .Select(i => first.AddDays(7 * i))
                .Select(monday => buckets.GetValueOrDefault((source, monday)) ?? new WeekOfLetters(DateOnly.FromDateTime(monday), 0, 0, 0, 0, 0))
                .ToList();
            if (source.StartsWith("program:", StringComparison.Ordinal) || series.Any(w => w.Sent > 0 || w.Opens > 0 || w.Clicks > 0))
            {
                trends.Add(new ProgramTrend(source, name, series));
            }
        }
        return trends;
    }
}
