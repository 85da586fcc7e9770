namespace Drip.Feedback;

/// <summary>Running counts for one letter across every send of it: what the rates per letter are made of.</summary>
public sealed class LetterStats
{
    /// <summary>The letter id (its file name in <c>templates/letters/</c>).</summary>
    public string Id { get; set; } = "";

    public int Sent { get; set; }

    public int Opens { get; set; }

    public int MachineOpens { get; set; }

    public int Clicks { get; set; }

    public int Unsubscribes { get; set; }

    public int Bounces { get; set; }

    public int Complaints { get; set; }
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
    void Add(string letterId, LetterMetric metric, int by = 1);

    LetterStats? Find(string letterId);

    IReadOnlyList<LetterStats> All();
}
