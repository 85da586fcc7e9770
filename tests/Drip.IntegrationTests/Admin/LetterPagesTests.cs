using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Drip.Feedback;
using Drip.Letters;
using Drip.Outbox;
using Drip.Rendering;
using Drip.Subscribers;
using Drip.Web.Admin;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Drip.IntegrationTests.Admin;

/// <summary>
/// The Letters pages through the real host, over a copy of the repository's templates: the list, the editor's preview of
/// unsaved text, saves that are checked, refused or in conflict, and the test letter to the admin.
/// </summary>
public sealed partial class LetterPagesTests : IDisposable
{
    private const string Letter = "thank-you";
    private const string EditPage = "/admin/letters/thank-you/edit";
    private readonly TestData _data = new();
    private readonly TemplateCopy _templates = new();

    private DripApplication App()
    {
        var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(DateTimeOffset.UtcNow));
        app.Settings["Templates:Path"] = _templates.Root;
        app.Settings["Templates:Watch"] = "false"; // each test changes the disk itself and says when the engine should look
        return app;
    }

    private static async Task<AdminBrowser> SignedInAsync(DripApplication app)
    {
        var browser = new AdminBrowser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        return browser;
    }

    private static Subscriber AddSubscriber(DripApplication app, string email, string firstName)
    {
        var subscriber = new Subscriber { Id = Guid.NewGuid(), Email = email, EmailKey = email.ToLowerInvariant(), FirstName = firstName, Locale = "en-GB" };
        app.Get<ISubscriberStore>().Save([subscriber]);
        return subscriber;
    }

    private static string Edited(string subject, string body) => $"---\nsubject: \"{subject}\"\nkind: personal\n---\n{body}\n";

    [Fact]
    public async Task The_list_shows_letters_under_their_kind_with_what_sends_them()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);

        var page = await browser.GetPageAsync("/admin/letters");

        foreach (var kind in new[] { "news", "useful", "personal", "offer", "service" })
        {
            Assert.Contains($"""<h2 id="kind-{kind}">""", page);
            Assert.Contains($"/admin/letters/new?kind={kind}", page);
        }
        int Section(string kind) => page.IndexOf($"""<h2 id="kind-{kind}">""", StringComparison.Ordinal);
        var confirm = page.IndexOf("/admin/letters/confirm-subscription/edit", StringComparison.Ordinal);
        Assert.True(confirm > Section("service"), "a service letter is listed under service");
        var caring = page.IndexOf("/admin/letters/useful-caring-for-linen/edit", StringComparison.Ordinal);
        Assert.True(caring > Section("useful") && caring < Section("personal"), "a useful letter is listed under useful");
        Assert.Contains("program: The Example Shop letter", page);
        Assert.Contains("sequence: After a sale, step 1", page);
        Assert.Contains("date: Birthday", page);
        Assert.Contains("name_or", page); // the subject as a template, not as one reader sees it
        Assert.Contains("""href="/admin/letters/new">New letter</a>""", page);
    }

    [Fact]
    public async Task The_list_shows_what_a_letter_has_done_once_it_has_gone_out()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var stats = app.Get<ILetterStatsStore>();
        stats.Add(Letter, LetterMetric.Sent, 200);
        stats.Add(Letter, LetterMetric.Clicks, 30);

        var page = await browser.GetPageAsync("/admin/letters");

        var row = page[page.IndexOf(EditPage, StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("200", row);
        Assert.Contains("15.0%", row);
        Assert.Contains("not sent yet", page);
    }

    [Fact]
    public async Task A_broken_edit_made_on_disk_is_kept_out_of_the_engine_and_shown_on_the_list()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        File.WriteAllText(_templates.PathOf("letters/thank-you.md"), Edited("From git", "{{ for }}"));

        app.Get<Drip.Authoring.TemplateEditor>().Reload(); // what the watcher does when the folder changes

        var page = await browser.GetPageAsync("/admin/letters");
        Assert.Contains("does not pass lint", page);
        Assert.Contains("templates/letters/thank-you.md, line 5", page);
        Assert.Equal("Anna Petrovna, thank you for choosing us", app.Get<LetterRenderer>().Render(
            app.Get<TemplateLibrary>().FindLetter(Letter)!, LetterLinter.SampleSubscriber(),
            new LetterContext("https://example.com/u/x", new SenderIdentity("Shop", "news@example.com", "1 Street"), new Dictionary<string, string>())).Subject);
    }

    [Fact]
    public async Task The_editor_holds_the_whole_file_and_the_hooks_the_live_preview_uses()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);

        var response = await browser.Http.GetAsync(EditPage);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_templates.Read("letters/thank-you.md"), Editing(page));
        Assert.Contains("""<input type="text" name="subscriber" list="subscriber-choices" """, page);
        Assert.Contains("""<iframe id="preview-html" sandbox="" """, page);
        Assert.Contains("""<pre id="preview-text">""", page);
        Assert.Contains("""<div id="preview-subject" aria-label="Subject line">Anna Petrovna, thank you for choosing us</div>""", page);
        Assert.Contains("""<script src="/admin/assets/editor.js" defer></script>""", page);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var script = await browser.Http.GetAsync("/admin/assets/editor.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("/preview", page);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync("/admin/letters/no-such-letter/edit")).StatusCode);
    }

    [Fact]
    public async Task A_preview_of_unsaved_text_as_a_chosen_subscriber_shows_their_name_and_leaves_the_file_alone()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        AddSubscriber(app, "margarita@example.com", "Margarita");
        var before = _templates.Read("letters/thank-you.md");
        var fingerprint = Fingerprint(await browser.GetPageAsync(EditPage));

        var response = await browser.SubmitAsync(EditPage, EditPage, [
            new("body", Edited("Unsaved subject for {{ name_or 'you' }}", "{{ greeting }}\n\nA paragraph not saved yet.")),
            new("fingerprint", fingerprint), new("subscriber", "margarita@example.com"), new("do", "preview")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("""<div id="preview-subject" aria-label="Subject line">Unsaved subject for Margarita</div>""", page);
        var frame = FrameDocument(page);
        Assert.Contains("Dear Margarita,", frame);
        Assert.Contains("A paragraph not saved yet.", frame);
        Assert.Contains("A paragraph not saved yet.", PlainText(page));
        Assert.Contains(LetterPreviewer.InertUnsubscribeUrl, frame);
        Assert.DoesNotContain("/o/", frame); // no open pixel in a preview
        Assert.Equal(before, _templates.Read("letters/thank-you.md"));
        Assert.Equal(0, app.Get<TemplateLibrary>().Version);
    }

    [Fact]
    public async Task The_live_preview_answers_with_json_when_the_token_comes_in_the_header()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        AddSubscriber(app, "margarita@example.com", "Margarita");
        var token = WebUtility.HtmlDecode(TokenField().Match(await browser.GetPageAsync(EditPage)).Groups["value"].Value);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/letters/thank-you/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["body"] = Edited("Live for {{ name_or 'you' }}", "{{ greeting }}\n\n{{ if }}"),
                ["subscriber"] = "margarita@example.com",
            }),
        };
        request.Headers.Add("X-Drip-Antiforgery", token);
        var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problem = json.RootElement.GetProperty("problems")[0];
        Assert.Equal("templates/letters/thank-you.md", problem.GetProperty("file").GetString());
        Assert.Equal(7, problem.GetProperty("line").GetInt32());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("html").ValueKind);
        Assert.Contains("Margarita", json.RootElement.GetProperty("shownAs").GetString());

        using var fixedRequest = new HttpRequestMessage(HttpMethod.Post, "/admin/letters/thank-you/preview")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["body"] = Edited("Live for {{ name_or 'you' }}", "{{ greeting }}"),
                ["subscriber"] = "margarita@example.com",
            }),
        };
        fixedRequest.Headers.Add("X-Drip-Antiforgery", token);
        using var fixedJson = JsonDocument.Parse(await (await browser.Http.SendAsync(fixedRequest)).Content.ReadAsStringAsync());
        Assert.Equal("Live for Margarita", fixedJson.RootElement.GetProperty("subject").GetString());
        Assert.Contains("Dear Margarita,", fixedJson.RootElement.GetProperty("html").GetString());
        Assert.Equal(0, fixedJson.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public async Task The_preview_endpoint_refuses_a_post_without_the_anti_forgery_token()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        await browser.GetPageAsync(EditPage); // the anti-forgery cookie is there; the token itself is left out

        var forged = await browser.Http.PostAsync("/admin/letters/thank-you/preview", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["body"] = Edited("Forged", "Body."),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain("Forged", await forged.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_broken_edit_shows_the_problem_at_its_line_and_column_and_writes_nothing()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var before = _templates.Read("letters/thank-you.md");
        var fingerprint = Fingerprint(await browser.GetPageAsync(EditPage));
        var broken = "---\nsubject: \"Hi\"\nkind: personal\n---\nline one\n{{ if }}\n";

        var response = await browser.SubmitAsync(EditPage, EditPage, [new("body", broken), new("fingerprint", fingerprint), new("do", "save")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("""<a class="at" href="#body" data-line="6" data-column="7">line 6, column 7</a>""", page);
        Assert.Contains("<b>6</b>", page); // the gutter marks the line
        Assert.Equal(broken, Editing(page)); // the text is kept
        Assert.Equal(before, _templates.Read("letters/thank-you.md"));
        Assert.Equal(0, app.Get<TemplateLibrary>().Version);
    }

    [Fact]
    public async Task A_clean_save_changes_the_file_and_the_engine_renders_the_new_version()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var fingerprint = Fingerprint(await browser.GetPageAsync(EditPage));
        var text = Edited("Thank you, {{ name_or 'friend' }}, from the new version", "{{ greeting }}\n\nRewritten in the browser.");

        var response = await browser.SubmitAsync(EditPage, EditPage, [new("body", text), new("fingerprint", fingerprint), new("do", "save")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/letters/thank-you/edit?saved=1", response.Headers.Location!.OriginalString);
        Assert.Equal(text, _templates.Read("letters/thank-you.md"));
        var library = app.Get<TemplateLibrary>();
        var rendered = app.Get<LetterRenderer>().Render(library.FindLetter(Letter)!, new Subscriber { Email = "ada@example.com", FirstName = "Ada" },
            new LetterContext("https://example.com/u/x", new SenderIdentity("Shop", "news@example.com", "1 Street"), new Dictionary<string, string>()));
        Assert.Equal("Thank you, Ada, from the new version", rendered.Subject);
        Assert.Contains("Rewritten in the browser.", rendered.Text);
        var after = await browser.GetPageAsync(response.Headers.Location.OriginalString);
        Assert.Contains("Saved.", after);
        Assert.NotEqual(fingerprint, Fingerprint(after));
    }

    [Fact]
    public async Task A_save_made_before_the_file_changed_on_disk_is_a_conflict_that_shows_both_versions()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var opened = Fingerprint(await browser.GetPageAsync(EditPage));
        var fromGit = Edited("Changed in git", "Committed meanwhile.");
        File.WriteAllText(_templates.PathOf("letters/thank-you.md"), fromGit);
        var mine = Edited("Changed in the browser", "Typed in the editor.");

        var conflict = await browser.SubmitAsync(EditPage, EditPage, [new("body", mine), new("fingerprint", opened), new("do", "save")]);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var page = await conflict.Content.ReadAsStringAsync();
        Assert.Contains("This file changed on disk since you opened it", page);
        Assert.Contains("Committed meanwhile.", page);
        Assert.Contains("Typed in the editor.", Editing(page));
        Assert.Equal(fromGit, _templates.Read("letters/thank-you.md"));
        var fresh = Fingerprint(page);
        Assert.NotEqual(opened, fresh);

        var deliberate = await browser.SubmitAsync(EditPage, EditPage, [new("body", mine), new("fingerprint", fresh), new("do", "save")]);

        Assert.Equal(HttpStatusCode.Redirect, deliberate.StatusCode);
        Assert.Equal(mine, _templates.Read("letters/thank-you.md"));
    }

    [Fact]
    public async Task A_new_letter_takes_its_id_as_file_name_and_an_existing_or_malformed_id_is_refused()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        var form = await browser.GetPageAsync("/admin/letters/new?kind=offer");
        Assert.Contains("kind: offer", Editing(form));
        var text = Edited("Summer is here", "{{ greeting }}\n\nNew linen for the summer.");

        var malformed = await browser.SubmitAsync("/admin/letters/new", "/admin/letters/new", [new("id", "Summer News!"), new("body", text), new("do", "save")]);
        var taken = await browser.SubmitAsync("/admin/letters/new", "/admin/letters/new", [new("id", Letter), new("body", text), new("do", "save")]);
        var created = await browser.SubmitAsync("/admin/letters/new", "/admin/letters/new", [new("id", "summer-news"), new("body", text), new("do", "save")]);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);
        Assert.Contains("lower-case letters, digits and dashes", await malformed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, taken.StatusCode);
        Assert.Contains("already exists", await taken.Content.ReadAsStringAsync());
        Assert.False(File.Exists(_templates.PathOf("letters/Summer News!.md")));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/admin/letters/summer-news/edit?saved=1", created.Headers.Location!.OriginalString);
        Assert.Equal(text, _templates.Read("letters/summer-news.md"));
        Assert.NotNull(app.Get<TemplateLibrary>().FindLetter("summer-news"));
    }

    [Fact]
    public async Task Send_a_test_puts_one_letter_with_a_test_subject_to_the_admin_into_the_pickup_folder_and_nowhere_else()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        AddSubscriber(app, "margarita@example.com", "Margarita");
        var pickup = Path.Combine(_data.DataPath, "pickup");
        var fingerprint = Fingerprint(await browser.GetPageAsync(EditPage));

        var response = await browser.SubmitAsync(EditPage, "/admin/letters/thank-you/test", [
            new("body", Edited("Try-out for {{ name_or 'you' }}", "{{ greeting }}\n\n[The shop](https://example.com/)")),
            new("fingerprint", fingerprint), new("subscriber", "margarita@example.com")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"A test went to {DripApplication.AdminEmail}", await response.Content.ReadAsStringAsync());
        var eml = Assert.Single(Directory.GetFiles(pickup, "*.eml"));
        var message = await MimeMessage.LoadAsync(eml);
        Assert.Equal("[Test] Try-out for Margarita", message.Subject);
        Assert.Equal(DripApplication.AdminEmail, Assert.Single(message.To.Mailboxes).Address);
        Assert.Contains("Dear Margarita,", message.HtmlBody);
        Assert.Contains("href=\"https://example.com/\"", message.HtmlBody); // not rewritten through click tracking
        Assert.All(app.Get<IOutboxStore>().CountByState().Values, count => Assert.Equal(0, count));
        Assert.Null(app.Get<ILetterStatsStore>().Find(Letter));
        Assert.DoesNotContain("Try-out", _templates.Read("letters/thank-you.md"));
    }

    [Fact]
    public async Task Test_letters_are_limited_to_ten_a_minute_for_each_admin()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        Task<HttpResponseMessage> SendTest() => browser.SubmitAsync(EditPage, "/admin/letters/thank-you/test", []);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendTest()).StatusCode);
        }
        var eleventh = await SendTest();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await SendTest();

        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.Contains("at most 10 tests a minute", await eleventh.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(11, Directory.GetFiles(Path.Combine(_data.DataPath, "pickup"), "*.eml").Length);
    }

    [Fact]
    public async Task Subscriber_names_with_html_are_escaped_in_the_page_and_in_the_preview_frame()
    {
        await using var app = App();
        var browser = await SignedInAsync(app);
        AddSubscriber(app, "eve@example.com", "Eve\"><script>alert(1)</script>");

        var page = await browser.GetPageAsync("/admin/letters/birthday/edit?subscriber=eve%40example.com");

        Assert.DoesNotContain("<script>alert", page);
        Assert.Contains("Happy birthday, Eve&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;!", page); // subject shown as text
        Assert.Contains("""<option value="eve@example.com">Eve&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</option>""", page);
        var frame = FrameDocument(page);
        Assert.Contains("alert(1)", frame);
        Assert.DoesNotContain("<script", frame, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("GET", "/admin/letters")]
    [InlineData("GET", "/admin/letters/new?kind=news")]
    [InlineData("GET", "/admin/letters/thank-you/edit")]
    [InlineData("GET", "/admin/assets/editor.js")]
    [InlineData("POST", "/admin/letters/new")]
    [InlineData("POST", "/admin/letters/thank-you/edit")]
    [InlineData("POST", "/admin/letters/thank-you/preview")]
    [InlineData("POST", "/admin/letters/thank-you/test")]
    public async Task Letter_pages_send_a_stranger_to_sign_in(string method, string path)
    {
        await using var app = App();
        var browser = new AdminBrowser(app);
        var before = _templates.Read("letters/thank-you.md");

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = Edited("Stranger", "Body."), ["id"] = "stranger" });
        }
        var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/sign-in", new Uri(app.Server.BaseAddress, response.Headers.Location!).AbsolutePath);
        Assert.Equal(before, _templates.Read("letters/thank-you.md"));
        Assert.False(File.Exists(_templates.PathOf("letters/stranger.md")));
        Assert.False(Directory.Exists(Path.Combine(_data.DataPath, "pickup")) && Directory.GetFiles(Path.Combine(_data.DataPath, "pickup"), "*.eml").Length > 0);
    }

    private static string Fingerprint(string page) => FingerprintField().Match(page) is { Success: true } m
        ? m.Groups["value"].Value
        : throw new InvalidOperationException("the editor has no fingerprint field");

    /// <summary>The text in the editor, decoded as a browser does.</summary>
    private static string Editing(string page) => WebUtility.HtmlDecode(TextArea().Match(page).Groups["text"].Value);

    /// <summary>The document the preview frame shows: its srcdoc attribute, decoded once as a browser does.</summary>
    private static string FrameDocument(string page) => WebUtility.HtmlDecode(Frame().Match(page).Groups["doc"].Value);

    private static string PlainText(string page) => WebUtility.HtmlDecode(PlainTextPart().Match(page).Groups["text"].Value);

    [GeneratedRegex("""<input type="hidden" name="fingerprint" value="(?<value>[^"]*)">""")]
    private static partial Regex FingerprintField();

    [GeneratedRegex("""<textarea id="body" name="body"[^>]*>(?<text>[^<]*)</textarea>""")]
    private static partial Regex TextArea();

    [GeneratedRegex("""<iframe id="preview-html"[^>]*srcdoc="(?<doc>[^"]*)">""")]
    private static partial Regex Frame();

    [GeneratedRegex("""<pre id="preview-text">(?<text>[^<]*)</pre>""")]
    private static partial Regex PlainTextPart();

    [GeneratedRegex("""<input type="hidden" name="__RequestVerificationToken" value="(?<value>[^"]+)">""")]
    private static partial Regex TokenField();

    public void Dispose()
    {
        _templates.Dispose();
        _data.Dispose();
    }
}
