using Drip.Cadence;
using Drip.Planning;
using Drip.Rendering;
using Drip.Simulation;

namespace Drip.UnitTests.Simulation;

/// <summary>Eight simulated weeks through the real planners and dispatcher: every rule holds for every subscriber.</summary>
public sealed class SimulatorTests : IDisposable
{
    private readonly TemplateFolder _templates = new();

    public SimulatorTests()
    {
        foreach (var kind in new[] { "news", "useful", "personal", "offer" })
        {
            for (var i = 1; i <= 4; i++)
            {
                _templates.Letter($"{kind}-{i}", "{{ greeting }}", kind: kind);
            }
        }
        foreach (var id in new[] { "thank-you", "how-did-we-do", "letter-from-the-boss" })
        {
            File.Copy(Path.Combine(TemplateFolder.Shipped, "letters", id + ".md"), Path.Combine(_templates.Root, "letters", id + ".md"));
        }
        File.Copy(Path.Combine(TemplateFolder.Shipped, "sequences", "post-sale.yml"), Path.Combine(_templates.Root, "sequences", "post-sale.yml"));
        _templates.Letter("birthday", "Code {{ discount_code }}", kind: "personal");
        _templates.Add("dates/birthday.yml", "name: Birthday\nletter: birthday\non: field:birthday\ndiscount_code: true\n");
        var pool = string.Join("\n", new[] { "news", "useful", "personal", "offer" }.SelectMany(k => Enumerable.Range(1, 4).Select(i => $"  - {k}-{i}")));
        _templates.Add("programs/weekly.yml", $"name: Weekly\nmode: evergreen\nletters_per_week: 2\nwindows:\n  default: Tue-Thu 10:00-12:00\n  offer: Wed-Thu 10:00-12:00\npool:\n{pool}\n");
    }

    private async Task<IReadOnlyList<SimulatedSend>> Run(int seed)
    {
        var library = _templates.Load();
        Assert.Empty(library.Problems);
        return await new Simulator(library, new FrequencyCaps(), new PlanningOptions(), new RenderLimits())
            .RunAsync(new SimulationSettings(new DateOnly(2026, 3, 2), 8, 150, seed), null, CancellationToken.None);
    }

    [Fact]
    public async Task Every_rule_holds_for_every_subscriber_over_eight_weeks()
    {
        var caps = new FrequencyCaps();
        var rows = await Run(7);

        Assert.Contains(rows, r => r.Source == "program");
        Assert.Contains(rows, r => r.Source == "sequence");
        Assert.Contains(rows, r => r.Source == "date");
        foreach (var person in rows.GroupBy(r => r.SubscriberId))
        {
            var letters = person.OrderBy(r => r.UtcTime).ToList();
            var program = letters.Where(r => r.Source == "program").ToList();
            for (var i = 0; i < program.Count; i++)
            {
                Assert.Equal(i % 4 == 3, program[i].Kind == "offer");
                Assert.Contains(program[i].LocalTime.DayOfWeek, program[i].Kind == "offer"
                    ? new[] { DayOfWeek.Wednesday, DayOfWeek.Thursday }
                    : new[] { DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday });
                Assert.InRange(program[i].LocalTime.TimeOfDay, TimeSpan.FromHours(10), TimeSpan.FromHours(12));
            }
            Assert.Equal(program.Count, program.Select(r => r.LetterId).Distinct().Count()); // nothing twice

            var held = letters.Where(r => r.LetterId != "thank-you").ToList(); // urgent letters count but are not held back
            Assert.All(held.GroupBy(r => DateOnly.FromDateTime(r.LocalTime.DateTime)), day => Assert.Single(day));
            Assert.All(held.GroupBy(r => SendCalendar.Monday(DateOnly.FromDateTime(r.LocalTime.DateTime))),
                week => Assert.InRange(week.Count(), 1, caps.MaxPerWeek));
            for (var i = 1; i < held.Count; i++)
            {
                Assert.True(held[i].UtcTime - held[i - 1].UtcTime >= caps.MinGap);
            }
            Assert.All(letters, r => Assert.Equal(r.UtcTime, r.LocalTime.ToUniversalTime()));
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_schedule_and_another_seed_does_not()
    {
        var first = await Run(42);
        var again = await Run(42);
        var other = await Run(43);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task The_csv_has_exactly_the_promised_columns_and_iso_times()
    {
        var rows = await Run(1);
        using var writer = new StringWriter();
        Simulator.WriteCsv(writer, rows.Take(5));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("subscriber_id,email,time_zone,source,program,letter,kind,local_time,utc_time", lines[0]);
        Assert.Equal(6, lines.Length);
        var cells = lines[1].Split(',');
        Assert.Equal(9, cells.Length);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", cells[7]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", cells[8]);
    }

    public void Dispose() => _templates.Dispose();
}
