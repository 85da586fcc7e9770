using System.Globalization;

namespace Drip.Feedback;

/// <summary>The counters a letter's rates are made of; kept for all time and per week.</summary>
public abstract class LetterCounts
{
    public int Sent { get; set; }

    public int Opens { get; set; }

    public int MachineOpens { get; set; }

    public int Clicks { get; set; }

    public int Unsubscribes { get; set; }

    public int Bounces { get; set; }

    public int Complaints { get; set; }

    public void Add(LetterMetric metric, int by)
    {
        switch (metric)
        {
            case LetterMetric.Sent: Sent += by; break;
            case LetterMetric.Opens: Opens += by; break;
            case LetterMetric.MachineOpens: MachineOpens += by; break;
            case LetterMetric.Clicks: Clicks += by; break;
            case LetterMetric.Unsubscribes: Unsubscribes += by; break;
            case LetterMetric.Bounces: Bounces += by; break;
            case LetterMetric.Complaints: Complaints += by; break;
        }
    }
}

/// <summary>Running counts for one letter across every send of it: what the rates per letter are made of.</summary>
public sealed class LetterStats : LetterCounts
{
    /// <summary>The letter id (its file name in <c>templates/letters/</c>).</summary>
    public string Id { get; set; } = "";
}

/// <summary>
/// One letter's counts in one ISO week (UTC), by when each event happened: a letter sent on Friday and opened
/// on Monday counts its send in one week and its open in the next. What the charts over time are made of.
/// </summary>
public sealed class WeeklyLetterStats : LetterCounts
{
    /// <summary><c>{letter}@{yyyy}-W{ww}</c>: one document per letter and week.</summary>
    public string Id { get; set; } = "";

    public string LetterId { get; set; } = "";

    /// <summary>The Monday (UTC midnight) that starts the ISO week.</summary>
    public DateTime Monday { get; set; }

    public static string KeyOf(string letterId, DateTime monday) =>
        $"{letterId}@{ISOWeek.GetYear(monday):0000}-W{ISOWeek.GetWeekOfYear(monday):00}";

    /// <summary>The Monday, UTC midnight, of the ISO week that holds <paramref name="at"/>.</summary>
    public static DateTime MondayOf(DateTimeOffset at)
    {
        var day = at.UtcDateTime.Date;
        return DateTime.SpecifyKind(day.AddDays(-(((int)day.DayOfWeek + 6) % 7)), DateTimeKind.Utc);
    }
}

/// <summary>Which count a feedback event adds to.</summary>
public enum LetterMetric
{
    Sent,
    Opens,
    MachineOpens,
    Clicks,
    Unsubscribes,
    Bounces,
    Complaints,
}

/// <summary>What the engine needs from wherever letter counts are kept.</summary>
public interface ILetterStatsStore
{
    /// <summary>Adds to the letter's all-time count and to its count for the current week.</summary>
    void Add(string letterId, LetterMetric metric, int by = 1);

    LetterStats? Find(string letterId);

    IReadOnlyList<LetterStats> All();

    /// <summary>Every letter's weekly counts for the weeks starting on or after <paramref name="fromMonday"/>.</summary>
    IReadOnlyList<WeeklyLetterStats> Weekly(DateTime fromMonday);
}
