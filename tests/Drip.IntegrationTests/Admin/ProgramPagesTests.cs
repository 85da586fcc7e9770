using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Drip.Authoring;
using Drip.Cadence;
using Drip.Letters;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>
/// Programs, sequences and caps edited in the browser through the real host. Each test works on its own copy of the
/// repository's templates folder, so a save never touches the repository.
/// </summary>
public sealed partial class ProgramPagesTests : IDisposable
{
    // A Monday in April: no fixed-date letter (New Year, 8 March) falls in the weeks these tests plan.
    private static readonly DateTimeOffset Now = new(2026, 4, 6, 6, 0, 0, TimeSpan.Zero);

    private readonly TestData _data = new();
    private readonly string _templates;

    public ProgramPagesTests()
    {
        _templates = Path.Combine(_data.DataPath, "templates");
        Copy(Path.Combine(DripApplication.RepositoryRoot, "templates"), _templates);
    }

    private DripApplication App()
    {
        var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(Now));
        app.Settings["Templates:Path"] = _templates;
        app.Settings["Templates:Watch"] = "false"; // the tests change files on disk themselves and want no reload in between
        return app;
    }

    private string FileText(string relative) => File.ReadAllText(Path.Combine(_templates, relative));

    [Fact]
    public async Task The_overview_shows_programs_sequences_date_letters_and_caps()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync("/admin/programs");

        Assert.Contains("The Example Shop letter", page);
        Assert.Contains("3 : 1 — 3 letters that give value, then 1 offer", page);
        Assert.Contains("news / useful / personal", page);
        Assert.Contains("offer: Wed-Thu 10:00-12:00", page);
        Assert.Contains("1. thank-you after 0d (urgent)", page);
        Assert.Contains("3. letter-from-the-boss after 10d..14d", page);
        Assert.Contains("every year on the subscriber&#x27;s birthday", page);
        Assert.Contains("""<td data-cap="MaxPerWeek">3</td>""", page);
        Assert.Contains("configuration <code>Cadence:MaxPerWeek</code>", page);
    }

    [Fact]
    public async Task Editing_the_weekly_programs_ratio_and_letters_a_week_saves_the_file_and_the_planner_uses_them_at_once()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var email = await SubscribeAsync(app, "ratio");
        var before = ProgramLetters(app, email, 28);
        Assert.Equal(["news", "useful"], before.Take(2).Select(l => l.Kind));
        Assert.Contains(before.GroupBy(l => SendCalendar.Monday(DateOnly.FromDateTime(l.LocalTime.DateTime))), week => week.Count() == 2);

        var response = await SaveProgramAsync(browser, Weekly(lettersPerWeek: "1", offerAfter: "1"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/programs/weekly?saved=1", response.Headers.Location!.OriginalString);
        var text = FileText("programs/weekly.yml");
        Assert.Contains("letters_per_week: 1\n", text);
        Assert.Contains("offer_after: 1\n", text);
        Assert.StartsWith("# A newsletter program: The Example Shop letter\n", text);
        var program = app.Get<TemplateLibrary>().Programs.Single(p => p.Id == "weekly");
        Assert.Equal((1, 1), (program.LettersPerWeek, program.OfferAfter));
        var after = ProgramLetters(app, email, 28);
        Assert.Equal(["news", "offer", "useful", "offer"], after.Take(4).Select(l => l.Kind));
        Assert.All(after.GroupBy(l => SendCalendar.Monday(DateOnly.FromDateTime(l.LocalTime.DateTime))), week => Assert.Single(week));
        Assert.Contains("Saved. Drip is using it now.", await browser.GetPageAsync("/admin/programs/weekly?saved=1"));
    }

    [Fact]
    public async Task An_impossible_window_is_refused_next_to_its_field_and_nothing_is_written()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var before = FileText("programs/weekly.yml");
        var version = app.Get<TemplateLibrary>().Version;

        var response = await SaveProgramAsync(browser, Weekly(defaultWindow: "Mon-Sun 25:00-26:00"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("the time part is not like 10:00-12:00", FieldBlock(page, "windows.default"));
        Assert.Contains("value=\"Mon-Sun 25:00-26:00\"", FieldBlock(page, "windows.default")); // what was typed is kept
        Assert.Contains("Nothing was written", page);
        Assert.Equal(before, FileText("programs/weekly.yml"));
        Assert.Equal(version, app.Get<TemplateLibrary>().Version);
    }

    [Fact]
    public async Task A_pool_letter_that_does_not_exist_and_a_ratio_that_is_not_a_number_are_shown_at_their_fields()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var notANumber = await SaveProgramAsync(browser, Weekly(offerAfter: "three"));
        var missingLetter = await SaveProgramAsync(browser, Weekly(pool: "news-new-linen-colours\nno-such-letter"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, notANumber.StatusCode);
        Assert.Contains("&#x27;three&#x27; is not a whole number", FieldBlock(await notANumber.Content.ReadAsStringAsync(), "offer_after"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingLetter.StatusCode);
        Assert.Contains("no-such-letter", FieldBlock(await missingLetter.Content.ReadAsStringAsync(), "pool"));
        Assert.Equal(File.ReadAllText(Path.Combine(DripApplication.RepositoryRoot, "templates", "programs", "weekly.yml")), FileText("programs/weekly.yml"));
    }

    [Fact]
    public async Task A_sequence_step_naming_a_missing_letter_is_refused_at_that_step_and_nothing_is_written()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var before = FileText("sequences/post-sale.yml");

        var response = await SaveSequenceAsync(browser, "post-sale", PostSale(("no-such-letter", "0d", true), ("how-did-we-do", "7d", false)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("letter &#x27;no-such-letter&#x27; is not in templates/letters/", FieldBlock(page, "steps[0].letter"));
        Assert.Equal(before, FileText("sequences/post-sale.yml"));
        Assert.Equal(3, app.Get<TemplateLibrary>().SequencesFor("sale").Single().Steps.Count);
    }

    [Fact]
    public async Task A_step_added_in_the_blank_row_with_a_3d_delay_is_saved_and_a_ticked_step_is_removed()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var fields = PostSale(("thank-you", "0d", true), ("how-did-we-do", "7d", false), ("letter-from-the-boss", "10d..14d", false),
            ("useful-stain-guide", "3d", false));
        var response = await SaveSequenceAsync(browser, "post-sale", fields.Append(new("steps[1].remove", "true")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var steps = app.Get<TemplateLibrary>().SequencesFor("sale").Single().Steps;
        Assert.Equal(["thank-you", "letter-from-the-boss", "useful-stain-guide"], steps.Select(s => s.LetterId));
        Assert.Equal(TimeSpan.FromDays(3), steps[2].Delay.Min);
        Assert.True(steps[0].Urgent);
        Assert.Contains("  - letter: useful-stain-guide\n    delay: 3d\n", FileText("sequences/post-sale.yml"));
        var page = await browser.GetPageAsync("/admin/sequences/post-sale");
        Assert.Contains("name=\"steps[3].letter\"", page); // three steps and a blank row to add the next
        Assert.DoesNotContain("name=\"steps[4].letter\"", page);
    }

    [Fact]
    public async Task A_new_sequence_is_created_from_the_overview_and_starts_on_its_event()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var opened = await browser.Http.GetAsync("/admin/sequences?new=welcome");
        Assert.Equal("/admin/sequences/welcome", opened.Headers.Location!.OriginalString);
        Assert.Contains("<h1>New sequence welcome</h1>", await browser.GetPageAsync("/admin/sequences/welcome"));
        var response = await browser.SubmitAsync("/admin/sequences/welcome", "/admin/sequences/welcome",
        [
            new("fingerprint", ""), new("name", "Welcome"), new("trigger", "signup"), new("window", "09:00-11:00"),
            new("steps[0].letter", "thank-you"), new("steps[0].delay", "2h"), new("action", "save"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(_templates, "sequences", "welcome.yml")));
        var welcome = app.Get<TemplateLibrary>().SequencesFor("signup").Single();
        Assert.Equal(("Welcome", TimeSpan.FromHours(2), new TimeOnly(9, 0)), (welcome.Name, welcome.Steps.Single().Delay.Min, welcome.WindowStart));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.Http.GetAsync("/admin/sequences?new=..%2Fsecret")).StatusCode);
    }

    [Fact]
    public async Task A_new_program_is_created_from_the_overview_and_planned_at_once()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var email = await SubscribeAsync(app, "spring");

        var opened = await browser.Http.GetAsync("/admin/programs?new=Spring");
        Assert.Equal("/admin/programs/spring", opened.Headers.Location!.OriginalString);
        Assert.Contains("<h1>New program spring</h1>", await browser.GetPageAsync("/admin/programs/spring"));
        var response = await browser.SubmitAsync("/admin/programs/spring", "/admin/programs/spring",
        [
            new("fingerprint", ""), new("name", "Spring"), new("mode", "evergreen"), new("letters_per_week", "1"), new("offer_after", "1"),
            new("offer_kind", "offer"), new("mix", "useful"), new("windows.default", "Mon 08:00-09:00"), new("pool", "useful-stain-guide\noffer-bath-bundle"),
        ]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var planned = app.Get<PlanView>().For(email, 14).Where(l => l.Source == "program:spring").ToList();
        Assert.Equal(["useful-stain-guide", "offer-bath-bundle"], planned.Select(l => l.LetterId));
        // The useful letter takes the default window; an offer with no window of its own keeps the offer default, Wed-Thu.
        Assert.Equal((DayOfWeek.Monday, 8), (planned[0].LocalTime.DayOfWeek, planned[0].LocalTime.Hour));
        Assert.Equal(DayOfWeek.Wednesday, planned[1].LocalTime.DayOfWeek);
        Assert.InRange(planned[1].LocalTime.Hour, 10, 11);
    }

    [Fact]
    public async Task Caps_edited_in_the_browser_create_cadence_yml_and_change_what_the_planner_allows()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var email = await SubscribeAsync(app, "caps");
        Assert.Contains(PerWeek(app, email), count => count == 2);
        Assert.False(File.Exists(Path.Combine(_templates, CadenceFile.FileName)));

        var response = await browser.SubmitAsync("/admin/caps", "/admin/caps",
            [new("fingerprint", ""), new("max_per_day", "1"), new("max_per_week", "1"), new("min_gap", "20h"), new("fewer_per_week", "1")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("max_per_week: 1\n", FileText(CadenceFile.FileName));
        Assert.Equal(1, app.Get<CadencePlanner>().Caps.MaxPerWeek);
        Assert.All(PerWeek(app, email), count => Assert.Equal(1, count));
        var page = await browser.GetPageAsync("/admin/caps");
        Assert.Contains("""<td data-cap="MaxPerWeek">1</td><td><code>templates/cadence.yml</code></td>""", page);
    }

    [Fact]
    public async Task Caps_with_more_letters_a_day_than_a_week_are_refused_at_the_field_and_no_file_is_made()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var response = await browser.SubmitAsync("/admin/caps", "/admin/caps",
            [new("fingerprint", ""), new("max_per_day", "5"), new("max_per_week", "2"), new("min_gap", "20h"), new("fewer_per_week", "1")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("max_per_day (5) is more than max_per_week (2)", FieldBlock(await response.Content.ReadAsStringAsync(), "max_per_day"));
        Assert.False(File.Exists(Path.Combine(_templates, CadenceFile.FileName)));
        Assert.Equal(3, app.Get<CadencePlanner>().Caps.MaxPerWeek);
    }

    [Fact]
    public async Task A_save_from_a_page_opened_before_the_file_changed_on_disk_is_a_conflict_and_the_newer_file_stays()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var page = await browser.GetPageAsync("/admin/programs/weekly");
        var changedInGit = FileText("programs/weekly.yml").Replace("letters_per_week: 2", "letters_per_week: 3", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_templates, "programs", "weekly.yml"), changedInGit);

        var fields = Weekly(offerAfter: "2").Where(f => f.Key != "fingerprint")
            .Append(new("fingerprint", Hidden(page, "fingerprint")))
            .Append(new("__RequestVerificationToken", Hidden(page, "__RequestVerificationToken")));
        var response = await browser.Http.PostAsync("/admin/programs/weekly", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var conflict = await response.Content.ReadAsStringAsync();
        Assert.Contains("changed since you opened it", conflict);
        Assert.Contains("letters_per_week: 3", conflict); // the newer file is shown
        Assert.Contains("value=\"2\"", FieldBlock(conflict, "offer_after")); // and the edit is not lost
        Assert.Equal(changedInGit, FileText("programs/weekly.yml"));
    }

    [Fact]
    public async Task Edit_as_yaml_checks_the_text_like_the_form_and_keeps_comments_when_it_saves()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var page = await browser.GetPageAsync("/admin/sequences/post-sale/yaml");
        Assert.Contains("# The customer-care program after a sale", page);
        var fingerprint = Hidden(page, "fingerprint");

        var broken = await browser.SubmitAsync("/admin/sequences/post-sale/yaml", "/admin/sequences/post-sale/yaml",
            [new("fingerprint", fingerprint), new("text", "trigger: sale\nsteps:\n  - letter: thank-you\n    delay: soon\n")]);
        var good = await browser.SubmitAsync("/admin/sequences/post-sale/yaml", "/admin/sequences/post-sale/yaml",
            [new("fingerprint", fingerprint), new("text", "# kept as written\ntrigger: sale\nsteps:\n  - letter: thank-you\n    delay: 1d\n")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        Assert.Contains("templates/sequences/post-sale.yml:4:1: step 1: delay &#x27;soon&#x27;", await broken.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        Assert.StartsWith("# kept as written\n", FileText("sequences/post-sale.yml"));
        Assert.Equal(TimeSpan.FromDays(1), app.Get<TemplateLibrary>().SequencesFor("sale").Single().Steps.Single().Delay.Min);
    }

    [Fact]
    public async Task Html_in_names_is_escaped_on_every_page_and_quoted_in_the_file()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        const string name = "<script>alert('x')</script> \"Weekly\": # news";

        var response = await SaveProgramAsync(browser, Weekly(name: name));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(name, app.Get<TemplateLibrary>().Programs.Single().Name);
        foreach (var path in new[] { "/admin/programs", "/admin/programs/weekly", "/admin/programs/weekly/yaml" })
        {
            var page = await browser.GetPageAsync(path);
            Assert.DoesNotContain("<script>", page);
            Assert.Contains("&lt;script&gt;", page);
        }
    }

    [Theory]
    [InlineData("GET", "/admin/programs")]
    [InlineData("GET", "/admin/programs/weekly")]
    [InlineData("POST", "/admin/programs/weekly")]
    [InlineData("GET", "/admin/programs/weekly/yaml")]
    [InlineData("POST", "/admin/programs/weekly/yaml")]
    [InlineData("GET", "/admin/sequences?new=x")]
    [InlineData("GET", "/admin/sequences/post-sale")]
    [InlineData("POST", "/admin/sequences/post-sale")]
    [InlineData("GET", "/admin/sequences/post-sale/yaml")]
    [InlineData("POST", "/admin/sequences/post-sale/yaml")]
    [InlineData("GET", "/admin/dates/birthday/yaml")]
    [InlineData("POST", "/admin/dates/birthday/yaml")]
    [InlineData("GET", "/admin/caps")]
    [InlineData("POST", "/admin/caps")]
    [InlineData("GET", "/admin/caps/yaml")]
    [InlineData("POST", "/admin/caps/yaml")]
    public async Task Every_page_sends_a_stranger_to_sign_in_and_writes_nothing(string method, string path)
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        var before = FileText("programs/weekly.yml");

        var response = await browser.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new FormUrlEncodedContent([new("text", "trigger: x\n"), new("max_per_week", "1")]) : null,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        Assert.Equal(before, FileText("programs/weekly.yml"));
        Assert.False(File.Exists(Path.Combine(_templates, CadenceFile.FileName)));
    }

    [Fact]
    public async Task A_post_without_the_anti_forgery_field_saves_nothing_and_keeps_what_was_typed()
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();
        var before = FileText("programs/weekly.yml");

        var response = await browser.Http.PostAsync("/admin/programs/weekly", new FormUrlEncodedContent(Weekly(offerAfter: "7")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("value=\"7\"", FieldBlock(await response.Content.ReadAsStringAsync(), "offer_after"));
        Assert.Equal(before, FileText("programs/weekly.yml"));
    }

    /// <summary>The form fields of the shipped weekly program, with the given changes.</summary>
    private List<KeyValuePair<string, string>> Weekly(string? name = null, string lettersPerWeek = "2", string offerAfter = "3",
        string defaultWindow = "Tue-Thu 10:00-12:00", string? pool = null)
    {
        var shipped = ProgramDraft.Parse(FileText("programs/weekly.yml"));
        return
        [
            new("name", name ?? shipped.Name), new("mode", "evergreen"), new("start", ""), new("letters_per_week", lettersPerWeek),
            new("offer_after", offerAfter), new("offer_kind", "offer"), new("mix", "news"), new("mix", "useful"), new("mix", "personal"),
            new("windows.default", defaultWindow), new("windows.news", ""), new("windows.offer", "Wed-Thu 10:00-12:00"),
            new("pool", pool ?? string.Join("\r\n", shipped.Pool)),
        ];
    }

    private static List<KeyValuePair<string, string>> PostSale(params (string Letter, string Delay, bool Urgent)[] steps)
    {
        var fields = new List<KeyValuePair<string, string>> { new("name", "After a sale"), new("trigger", "sale"), new("window", "10:00-12:00"), new("action", "save") };
        for (var i = 0; i < steps.Length; i++)
        {
            fields.Add(new($"steps[{i}].letter", steps[i].Letter));
            fields.Add(new($"steps[{i}].delay", steps[i].Delay));
            if (steps[i].Urgent)
            {
                fields.Add(new($"steps[{i}].urgent", "true"));
            }
        }
        fields.Add(new($"steps[{steps.Length}].letter", ""));
        fields.Add(new($"steps[{steps.Length}].delay", ""));
        return fields;
    }

    private static async Task<HttpResponseMessage> SaveProgramAsync(AdminBrowser browser, List<KeyValuePair<string, string>> fields)
    {
        var page = await browser.GetPageAsync("/admin/programs/weekly");
        return await browser.SubmitAsync("/admin/programs/weekly", "/admin/programs/weekly", fields.Append(new("fingerprint", Hidden(page, "fingerprint"))));
    }

    private static async Task<HttpResponseMessage> SaveSequenceAsync(AdminBrowser browser, string id, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await browser.GetPageAsync($"/admin/sequences/{id}");
        return await browser.SubmitAsync($"/admin/sequences/{id}", $"/admin/sequences/{id}", fields.Append(new("fingerprint", Hidden(page, "fingerprint"))));
    }

    private async Task<string> SubscribeAsync(DripApplication app, string local)
    {
        var email = _data.Email(local);
        var response = await app.CreateApiClient().PostAsync("/api/subscribers/import", new StringContent($"email,time_zone\n{email},UTC\n", Encoding.UTF8, "text/csv"));
        response.EnsureSuccessStatusCode();
        return email;
    }

    private static List<PlannedLetter> ProgramLetters(DripApplication app, string email, int days) =>
        app.Get<PlanView>().For(email, days).Where(l => l.Source == "program:weekly").ToList();

    /// <summary>How many letters of any source each local week of the next four holds.</summary>
    private static List<int> PerWeek(DripApplication app, string email) =>
        app.Get<PlanView>().For(email, 28).GroupBy(l => SendCalendar.Monday(DateOnly.FromDateTime(l.LocalTime.DateTime))).Select(g => g.Count()).ToList();

    /// <summary>The HTML of one form field: its label, control and error.</summary>
    private static string FieldBlock(string page, string field)
    {
        var match = Regex.Match(page, $"""<(div|td) class="field[^"]*" data-field="{Regex.Escape(field.Replace("'", "&#x27;", StringComparison.Ordinal))}">.*?</\1>""", RegexOptions.Singleline);
        Assert.True(match.Success, $"the page has a field {field}");
        return match.Value;
    }

    private static string Hidden(string page, string name)
    {
        var match = Regex.Match(page, $"""<input type="hidden" name="{Regex.Escape(name)}" value="([^"]*)">""");
        Assert.True(match.Success, $"the page has a hidden {name}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static void Copy(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    public void Dispose() => _data.Dispose();
}
