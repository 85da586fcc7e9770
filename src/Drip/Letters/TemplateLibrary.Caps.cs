using Drip.Cadence;

namespace Drip.Letters;

/// <summary>The frequency caps file, <c>templates/cadence.yml</c> (optional).</summary>
public sealed partial class TemplateLibrary
{
    /// <summary>The caps <c>templates/cadence.yml</c> sets, or null when there is no such file (configuration alone decides).</summary>
    public CadenceFile? Caps => _contents.Caps;

    private void LoadCaps(List<TemplateProblem> problems)
    {
        var file = Path.Combine(Root, CadenceFile.FileName);
        if (!_sources.Exists(file) || !TryReadYaml<CapsFile>(Root, file, _sources, problems, out var data, out var rel, out var lines))
        {
            return;
        }
        data ??= new CapsFile();
        var before = problems.Count;
        void Problem(string key, string message) => problems.Add(new TemplateProblem(rel, LineIn(lines, key + ":"), 1, message));
        void Range(string key, int? value, int max)
        {
            if (value is < 1 || value > max)
            {
                Problem(key, $"{key} must be between 1 and {max}");
            }
        }
        Range("max_per_day", data.MaxPerDay, 10);
        Range("max_per_week", data.MaxPerWeek, 50);
        Range("fewer_per_week", data.FewerPerWeek, 50);
        if (data.MaxPerDay is { } day && data.MaxPerWeek is { } week && day > week)
        {
            Problem("max_per_day", $"max_per_day ({day}) is more than max_per_week ({week}): a week could never hold them");
        }
        TimeSpan? minGap = null;
        if (data.MinGap is not null)
        {
            try
            {
                var gap = DelayRange.Parse(data.MinGap);
                if (gap.Min != gap.Max || gap.Min > TimeSpan.FromDays(7))
                {
                    throw new FormatException($"min_gap '{data.MinGap}' must be one length of time up to a week, like 20h, 90m or 1d");
                }
                minGap = gap.Min;
            }
            catch (FormatException e)
            {
                Problem("min_gap", e.Message.StartsWith("delay", StringComparison.Ordinal)
                    ? $"min_gap '{data.MinGap}' is not like 20h, 90m or 1d"
                    : e.Message);
            }
        }
        if (problems.Count == before)
        {
            _contents.Caps = new CadenceFile(data.MaxPerDay, data.MaxPerWeek, minGap, data.FewerPerWeek);
        }
    }

    private sealed class CapsFile
    {
        public int? MaxPerDay { get; set; }
        public int? MaxPerWeek { get; set; }
        public string? MinGap { get; set; }
        public int? FewerPerWeek { get; set; }
    }
}
