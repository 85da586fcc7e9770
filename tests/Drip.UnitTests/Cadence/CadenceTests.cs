using Drip.Cadence;
using Drip.Letters;
using Drip.Outbox;
using Drip.Planning;
using Drip.Subscribers;

namespace Drip.UnitTests.Cadence;

public sealed class CadenceTests : IDisposable
{
    private static readonly string[] Zones =
    [
        "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata",
        "Australia/Adelaide", "America/St_Johns", "Europe/Moscow", "UTC", "Asia/Tokyo",
    ];

    private readonly TemplateFolder _templates = new();

    public CadenceTests()
    {
        foreach (var kind in new[] { "news", "useful", "personal", "offer" })
        {
            for (var i = 1; i <= 3; i++)
            {
                _templates.Letter($"{kind}-{i}", "{{ greeting }}", kind: kind);
            }
        }
        _templates.Letter("birthday", "Happy birthday, code {{ discount_code }}", kind: "personal");
        _templates.Letter("anniversary", "{{ years }} years", kind: "personal");
    }

    private TemplateLibrary Library(string mode = "evergreen", string extra = "")
    {
        var pool = string.Join("\n", new[] { "news", "useful", "personal", "offer" }
            .SelectMany(k => Enumerable.Range(1, 3).Select(i => $"  - {k}-{i}")));
        _templates.Add("programs/weekly.yml", $"name: Weekly\nmode: {mode}\n{extra}letters_per_week: 2\nwindows:\n  default: Tue-Thu 10:00-12:00\n  offer: Wed-Thu 10:00-12:00\npool:\n{pool}\n");
        var library = _templates.Load();
        Assert.Empty(library.Problems);
        return library;
    }

    private static Subscriber Person(string zone, DateTimeOffset joined, Dictionary<string, string>? fields = null) => new()
    {
        Id = Guid.NewGuid(), Email = $"{Guid.NewGuid():N}@example.org", TimeZone = zone, CreatedAt = joined, ConsentAt = joined,
        Fields = fields ?? new(StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>Replays weeks hour by hour: plan, then "send" whatever is due, as the scheduler would.</summary>
    private static List<OutboxEntry> Replay(CadencePlanner planner, Subscriber subscriber, DateTimeOffset from, int weeks)
    {
        var entries = new List<OutboxEntry>();
        for (var now = from; now < from.AddDays(7 * weeks); now = now.AddHours(1))
        {
            entries.AddRange(planner.Plan(subscriber, entries, now));
            foreach (var e in entries.Where(e => e.State == OutboxState.Due && e.DueAt <= now))
            {
                e.SentAt = e.DueAt;
                e.Close(OutboxState.Sent);
            }
        }
        return entries.Where(e => e.State == OutboxState.Sent).OrderBy(e => e.SentAt).ToList();
    }

    [Fact]
    public void Program_positions_follow_three_to_one_and_rotate_the_mix()
    {
        var program = Library().Programs.Single();
        var kinds = Enumerable.Range(0, 12).Select(p => program.At(p)!.Kind).ToList();
        Assert.Equal(
            [LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal, LetterKinds.Offer,
             LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal, LetterKinds.Offer,
             LetterKinds.News, LetterKinds.Useful, LetterKinds.Personal, LetterKinds.Offer], kinds);
        Assert.Equal(12, Enumerable.Range(0, 12).Select(p => program.At(p)!.LetterId).Distinct().Count());
        Assert.Null(program.At(12)); // the pool has run out: the program is over, nothing repeats
    }

    [Fact]
    public void Every_invariant_holds_for_random_subscribers_over_eight_weeks()
    {
        var library = Library();
        var caps = new FrequencyCaps();
        var planner = new CadencePlanner(library, caps, new PlanningOptions());
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // spans both DST changes' spring side
        for (var n = 0; n < 12; n++)
        {
            var zone = Zones[random.Next(Zones.Length)];
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var joined = start.AddMinutes(random.Next(0, 7 * 24 * 60));
            var sent = Replay(planner, Person(zone, joined), joined, 8);

            Assert.Equal(12, sent.Count); // 12 letters at 2 a week: the whole pool within 8 weeks
            var kinds = sent.Select(e => library.FindLetter(e.LetterId)!.Kind).ToList();
            for (var i = 0; i < kinds.Count; i++)
            {
                Assert.Equal(i % 4 == 3, kinds[i] == LetterKinds.Offer); // 3 : 1
            }
            Assert.Equal([3, 3, 3], kinds.Where(k => k != LetterKinds.Offer).GroupBy(k => k).Select(g => g.Count()));
            foreach (var e in sent)
            {
                var local = TimeZoneInfo.ConvertTime(e.SentAt!.Value, tz);
                DayOfWeek[] allowed = kinds[sent.IndexOf(e)] == LetterKinds.Offer
                    ? [DayOfWeek.Wednesday, DayOfWeek.Thursday]
                    : [DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];
                Assert.Contains(local.DayOfWeek, allowed);
                Assert.InRange(local.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(12));
                Assert.False(string.IsNullOrEmpty(e.Reason));
            }
            var days = sent.Select(e => LocalTime.DateIn(e.SentAt!.Value, tz)).ToList();
            Assert.Equal(days.Count, days.Distinct().Count()); // at most one a local day
            Assert.All(days.GroupBy(SendCalendar.Monday), week => Assert.InRange(week.Count(), 1, 2));
            for (var i = 1; i < sent.Count; i++)
            {
                Assert.True(sent[i].SentAt - sent[i - 1].SentAt >= caps.MinGap, $"gap in {zone}");
            }
        }
    }

    [Fact]
    public void Kind_names_are_configurable_for_the_mix_and_the_offer()
    {
        using var folder = new TemplateFolder();
        folder.Letter("tips", "x", kind: "useful").Letter("team", "x", kind: "about-us").Letter("sale", "x", kind: "selling")
            .Letter("tips-2", "x", kind: "useful").Letter("team-2", "x", kind: "about-us").Letter("stray", "x", kind: "news");
        folder.Add("programs/alt.yml", "name: Alt\nmix: [useful, about-us]\noffer_after: 2\noffer_kind: selling\nwindows:\n  selling: Thu 10:00-12:00\npool: [tips, team, sale, tips-2, team-2]\n");

        var library = TemplateLibrary.Load(folder.Root, ["useful", "about-us", "selling"]);

        var stray = Assert.Single(library.Problems);
        Assert.Contains("kind 'news' is not one of useful, about-us, selling", stray.Message);
        var program = library.Programs.Single();
        Assert.Equal(["tips", "team", "sale", "tips-2", "team-2"], Enumerable.Range(0, 5).Select(p => program.At(p)!.LetterId));
        Assert.Null(program.At(5));
        Assert.Equal("Thu 10:00-12:00", program.WindowFor(library.FindLetter("sale")!).Window.ToString());
    }

    [Fact]
    public void Caps_hold_for_random_caps_cadences_and_pools()
    {
        var random = new Random(2026);
        for (var round = 0; round < 8; round++)
        {
            var perWeek = random.Next(1, 4);
            var caps = new FrequencyCaps
            {
                MaxPerDay = 1, MaxPerWeek = random.Next(1, 4), MinGap = TimeSpan.FromHours(random.Next(6, 49)),
            };
            var counts = new[] { "news", "useful", "personal", "offer" }.ToDictionary(k => k, _ => random.Next(1, 4));
            var pool = string.Join("\n", counts.SelectMany(kv => Enumerable.Range(1, kv.Value).Select(i => $"  - {kv.Key}-{i}")));
            _templates.Add("programs/weekly.yml", $"name: Weekly\nletters_per_week: {perWeek}\nwindows:\n  default: Mon-Fri 09:00-17:00\npool:\n{pool}\n");
            var library = _templates.Load();
            Assert.Empty(library.Problems);
            var program = library.Programs.Single();
            var zone = Zones[random.Next(Zones.Length)];
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var joined = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 60 * 24 * 30));

            var sent = Replay(new CadencePlanner(library, caps, new PlanningOptions()), Person(zone, joined), joined, 8);

            var poolLength = Enumerable.Range(0, 100).TakeWhile(p => program.At(p) is not null).Count();
            Assert.InRange(sent.Count, 1, poolLength); // never past the end of the pool: nothing repeats
            Assert.Equal(sent.Select((e, i) => program.At(i)!.LetterId), sent.Select(e => e.LetterId)); // order never changes
            var days = sent.Select(e => LocalTime.DateIn(e.SentAt!.Value, tz)).ToList();
            Assert.Equal(days.Count, days.Distinct().Count());
            Assert.All(days.GroupBy(SendCalendar.Monday), w => Assert.True(w.Count() <= Math.Min(perWeek, caps.MaxPerWeek), $"round {round}: {w.Count()} in a week"));
            for (var monday = SendCalendar.Monday(days[0]); monday < SendCalendar.Monday(days[^1]); monday = monday.AddDays(7))
            {
                Assert.Contains(days, d => SendCalendar.Monday(d) == monday); // no silent week while letters remain
            }
            for (var i = 1; i < sent.Count; i++)
            {
                Assert.True(sent[i].SentAt - sent[i - 1].SentAt >= caps.MinGap, $"round {round}: gap");
            }
        }
    }

    [Fact]
    public void Join_on_thursday_at_11_59_local_still_gets_the_first_letter_that_morning()
    {
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var joined = new DateTimeOffset(2026, 11, 26, 11, 59, 0, TimeSpan.FromHours(1)); // Thursday
        var first = planner.Plan(Person("Europe/Berlin", joined), [], joined).OrderBy(e => e.DueAt).First();

        // The minute left of the window: at once, or at the point in it the subscriber's spread picks (random ids put
        // that point in the last minute about one run in 120, which once failed a test that asked for 11:59 exactly).
        Assert.InRange(first.DueAt, joined, joined.AddMinutes(1).AddTicks(-1));
        Assert.Equal("news-1", first.LetterId);
        Assert.Equal(DayOfWeek.Thursday, TimeZoneInfo.ConvertTime(first.DueAt, berlin).DayOfWeek);
    }

    [Fact]
    public void Broadcast_sends_the_same_issue_to_everyone_in_the_same_week_and_new_joiners_start_at_the_current_issue()
    {
        var planner = new CadencePlanner(Library("broadcast", "start: 2026-11-02\n"), new FrequencyCaps(), new PlanningOptions());
        var now = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero); // Monday of the 4th week
        var early = planner.Plan(Person("Pacific/Kiritimati", now.AddMonths(-3)), [], now);
        var late = planner.Plan(Person("Pacific/Pago_Pago", now), [], now);

        var firstWeek = (IEnumerable<OutboxEntry> e) => e.OrderBy(x => x.DueAt).Take(2).Select(x => x.LetterId).ToList();
        Assert.Equal(["personal-2", "offer-2"], firstWeek(early)); // the issue of week 4: positions 6 and 7
        // Pago Pago is still on Sunday of week 3, whose window has passed: it skips to the same issue of week 4.
        Assert.Equal(["personal-2", "offer-2"], firstWeek(late));
        Assert.DoesNotContain(late, e => e.LetterId is "news-2" or "useful-2");
    }

    [Fact]
    public void Birthday_on_29_february_comes_on_28_february_with_a_personal_code()
    {
        _templates.Add("dates/birthday.yml", "name: Birthday\nletter: birthday\non: field:birthday\ndiscount_code: true\n");
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var leapling = Person("Europe/Moscow", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new(StringComparer.OrdinalIgnoreCase) { ["birthday"] = "2000-02-29" });
        var now = new DateTimeOffset(2027, 2, 10, 0, 0, 0, TimeSpan.Zero);

        var letter = planner.Plan(leapling, [], now).Single(e => e.Source == "date:birthday");

        var local = TimeZoneInfo.ConvertTime(letter.DueAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        Assert.Equal(new DateOnly(2027, 2, 28), DateOnly.FromDateTime(local.DateTime));
        Assert.Matches("^BIRT-[A-Z2-9]{6}$", letter.Data!["discount_code"]);
        Assert.Equal("27", letter.Data["years"]);
    }

    [Fact]
    public void Anniversary_counts_whole_years_and_skips_the_purchase_year_itself()
    {
        _templates.Add("dates/anniversary.yml", "name: Anniversary\nletter: anniversary\non: field:purchase_date\n");
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var now = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var veteran = Person("UTC", now.AddYears(-3), new(StringComparer.OrdinalIgnoreCase) { ["purchase_date"] = "2021-11-20" });
        var newcomer = Person("UTC", now, new(StringComparer.OrdinalIgnoreCase) { ["purchase_date"] = "2026-11-20" });

        Assert.Equal("5", planner.Plan(veteran, [], now).Single(e => e.Source.StartsWith("date:")).Data!["years"]);
        Assert.DoesNotContain(planner.Plan(newcomer, [], now), e => e.Source.StartsWith("date:"));
    }

    [Fact]
    public void A_letter_that_collides_with_the_caps_moves_to_the_next_allowed_day_and_says_why()
    {
        _templates.Add("dates/birthday.yml", "name: Birthday\nletter: birthday\non: field:birthday\n");
        var planner = new CadencePlanner(Library(), new FrequencyCaps(), new PlanningOptions());
        var ada = Person("UTC", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new(StringComparer.OrdinalIgnoreCase) { ["birthday"] = "1990-12-02" });
        var now = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var sequenceStep = OutboxEntry.Create("seq:x", ada.Id, "news-1", "sequence:post-sale", new DateTimeOffset(2026, 12, 2, 10, 30, 0, TimeSpan.Zero), false, now);

        var birthday = planner.Plan(ada, [sequenceStep], now).Single(e => e.Source == "date:birthday");

        Assert.Equal(new DateOnly(2026, 12, 3), DateOnly.FromDateTime(birthday.DueAt.UtcDateTime));
        Assert.Contains("moved past Wed 2 Dec: 1 letter(s) a day at most", birthday.Reason);
    }

    [Theory]
    [InlineData("Tue-Thu 10:00-12:00", "Tue-Thu 10:00-12:00", 3)]
    [InlineData("wed,thu 10:00-12:00", "Wed-Thu 10:00-12:00", 2)]
    [InlineData("Fri 10:00-12:00", "Fri 10:00-12:00", 1)]
    [InlineData("Sat-Mon 09:30-11:00", "Mon,Sat,Sun 09:30-11:00", 3)]
    [InlineData("daily 08:00-20:00", "daily 08:00-20:00", 7)]
    public void Windows_parse(string text, string shown, int days)
    {
        var window = SendingWindow.Parse(text);
        Assert.Equal(days, window.Days.Count);
        Assert.Equal(shown, window.ToString());
    }

    [Theory]
    [InlineData("Tue-Thu")]
    [InlineData("Tue-Thu 12:00-10:00")]
    [InlineData("Someday 10:00-12:00")]
    public void Bad_windows_are_refused(string text) => Assert.Throws<FormatException>(() => SendingWindow.Parse(text));

    public void Dispose() => _templates.Dispose();
}
