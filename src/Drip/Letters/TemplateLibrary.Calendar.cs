using System.Globalization;
using Drip.Cadence;
using Drip.Subscribers;
using YamlDotNet.Core;

namespace Drip.Letters;

/// <summary>Programs (<c>templates/programs/</c>) and date triggers (<c>templates/dates/</c>).</summary>
public sealed partial class TemplateLibrary
{
    private void LoadPrograms(List<TemplateProblem> problems)
    {
        foreach (var file in _sources.Files(Root, "programs", ".yml"))
        {
            if (!TryReadYaml<ProgramFile>(Root, file, _sources, problems, out var data, out var rel, out var lines))
            {
                continue;
            }
            var before = problems.Count;
            void Problem(string key, string message) => problems.Add(new TemplateProblem(rel, LineIn(lines, key), 1, message));

            if (data is null || data.Pool is not { Count: > 0 })
            {
                problems.Add(new TemplateProblem(rel, 1, 1, "a program needs a 'pool' of letters"));
                continue;
            }
            var mode = ProgramMode.Evergreen;
            if (data.Mode is not null && !Enum.TryParse(data.Mode, ignoreCase: true, out mode))
            {
                Problem("mode:", $"mode '{data.Mode}' is not evergreen or broadcast");
            }
            DateOnly? start = null;
            if (data.Start is not null)
            {
                if (!DateOnly.TryParseExact(data.Start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var s))
                {
                    Problem("start:", $"start '{data.Start}' is not a date like 2026-01-05");
                }
                else
                {
                    start = SendCalendar.Monday(s);
                }
            }
            if (mode == ProgramMode.Broadcast && start is null)
            {
                Problem("mode:", "a broadcast program needs 'start': the week of issue 1");
            }
            var offerKind = (data.OfferKind ?? LetterKinds.Offer).Trim().ToLowerInvariant();
            if (!Kinds.Contains(offerKind))
            {
                Problem("offer_kind:", $"offer_kind '{offerKind}' is not one of the kinds: {string.Join(", ", Kinds)}");
            }
            var mix = new List<string>();
            foreach (var k in data.Mix ?? [LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal])
            {
                var kind = k.Trim().ToLowerInvariant();
                if (Kinds.Contains(kind) && kind != offerKind)
                {
                    mix.Add(kind);
                }
                else
                {
                    Problem("mix:", $"mix: '{k}' is not one of the kinds that give value: {string.Join(", ", Kinds.Where(x => x != offerKind))}");
                }
            }
            var windows = new Dictionary<string, SendingWindow>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, text) in data.Windows ?? [])
            {
                try
                {
                    windows[name] = SendingWindow.Parse(text);
                }
                catch (FormatException e)
                {
                    Problem(name + ":", e.Message);
                }
            }
            var pool = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var id in data.Pool)
            {
                if (FindLetter(id) is not { } letter)
                {
                    Problem("- " + id, $"pool: letter '{id}' is not in templates/letters/");
                    continue;
                }
                if (!pool.TryGetValue(letter.Kind, out var list))
                {
                    pool[letter.Kind] = list = [];
                }
                list.Add(letter.Id);
            }
            if (data.LettersPerWeek is < 1 or > 14)
            {
                Problem("letters_per_week:", "letters_per_week must be between 1 and 14");
            }
            if (data.OfferAfter is < 0 or > 20)
            {
                Problem("offer_after:", "offer_after must be between 0 and 20 (0: every letter is an offer)");
            }
            if (data.Mix is { Count: 0 } && data.OfferAfter is not 0)
            {
                Problem("mix:", "mix needs at least one kind that gives value, or the letters between offers have nothing to rotate through");
            }
            if (problems.Count > before)
            {
                continue;
            }
            var programId = Path.GetFileNameWithoutExtension(file);
            _programs[programId] = new NewsletterProgram
            {
                Id = programId,
                Name = data.Name ?? programId,
                Mode = mode,
                Start = start,
                LettersPerWeek = data.LettersPerWeek ?? 2,
                OfferAfter = data.OfferAfter ?? 3,
                Mix = mix,
                OfferKind = offerKind,
                Pool = pool.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal),
                Windows = windows,
            };
        }
    }

    private void LoadDates(List<TemplateProblem> problems)
    {
        foreach (var file in _sources.Files(Root, "dates", ".yml"))
        {
            if (!TryReadYaml<DateFile>(Root, file, _sources, problems, out var data, out var rel, out var lines))
            {
                continue;
            }
            var before = problems.Count;
            void Problem(string key, string message) => problems.Add(new TemplateProblem(rel, LineIn(lines, key), 1, message));
            if (data?.Letter is null || FindLetter(data.Letter) is null)
            {
                Problem("letter:", $"letter '{data?.Letter}' is not in templates/letters/");
                continue;
            }
            string? field = null;
            (int, int)? fixedDay = null;
            var on = data.On?.Trim() ?? "";
            if (DateOnly.TryParseExact("2000-" + on, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var md))
            {
                fixedDay = (md.Month, md.Day);
            }
            else if (on.StartsWith("field:", StringComparison.Ordinal) && on.Length > 6)
            {
                field = on[6..].Trim();
            }
            else
            {
                Problem("on:", $"on: '{on}' is neither a date like 03-08 nor a field like field:birthday");
            }
            var daysBefore = 0;
            if (data.Before is not null)
            {
                try
                {
                    daysBefore = (int)WholeDays(data.Before);
                }
                catch (FormatException e)
                {
                    Problem("before:", e.Message);
                }
            }
            SubscriberFilter audience = SubscriberFilter.Mailable;
            try
            {
                audience = SubscriberFilter.Parse(data.To);
            }
            catch (FormatException e)
            {
                Problem("to:", e.Message);
            }
            SendingWindow window = SendingWindow.Parse("daily 10:00-12:00");
            if (data.Window is not null)
            {
                try
                {
                    window = SendingWindow.Parse(data.Window);
                }
                catch (FormatException e)
                {
                    Problem("window:", e.Message);
                }
            }
            if (problems.Count > before)
            {
                continue;
            }
            var id = Path.GetFileNameWithoutExtension(file);
            _dates[id] = new DateTrigger
            {
                Id = id, Name = data.Name ?? id, LetterId = data.Letter, Field = field, Fixed = fixedDay,
                DaysBefore = daysBefore, Audience = audience, Window = window, DiscountCode = data.DiscountCode,
            };
        }
    }

    private static double WholeDays(string text)
    {
        var delay = DelayRange.Parse(text);
        if (!delay.IsInDays || delay.Min != delay.Max)
        {
            throw new FormatException($"before: '{text}' must be whole days, like 90d");
        }
        return delay.Min.TotalDays;
    }

    /// <summary>Reads a YAML file into <typeparamref name="T"/>; a syntax or type error becomes a problem at its line and column.</summary>
    private static bool TryReadYaml<T>(string root, string file, TemplateSources sources, List<TemplateProblem> problems, out T? data, out string rel, out string[] lines)
    {
        rel = Relative(root, file);
        var text = sources.Read(file).Replace("\r\n", "\n", StringComparison.Ordinal);
        lines = text.Split('\n');
        try
        {
            data = Yaml.Deserialize<T>(text);
            return true;
        }
        catch (YamlException e)
        {
            problems.Add(new TemplateProblem(rel, (int)e.Start.Line, (int)e.Start.Column, Unwrap(e)));
            data = default;
            return false;
        }
    }

    private static int LineIn(string[] lines, string token)
    {
        var i = Array.FindIndex(lines, l => l.TrimStart().StartsWith(token, StringComparison.Ordinal));
        return i < 0 ? 1 : i + 1;
    }

    private sealed class ProgramFile
    {
        public string? Name { get; set; }
        public string? Mode { get; set; }
        public string? Start { get; set; }
        public int? LettersPerWeek { get; set; }
        public int? OfferAfter { get; set; }
        public string? OfferKind { get; set; }
        public List<string>? Mix { get; set; }
        public Dictionary<string, string>? Windows { get; set; }
        public List<string>? Pool { get; set; }
    }

    private sealed class DateFile
    {
        public string? Name { get; set; }
        public string? Letter { get; set; }
        public string? On { get; set; }
        public string? Before { get; set; }
        public string? To { get; set; }
        public string? Window { get; set; }
        public bool DiscountCode { get; set; }
    }
}
