using System.Net;
using Drip.Cadence;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Admin;

/// <summary>"What will Ada get?": the weekly program as one subscriber lives it, from the same planner and renderer that send.</summary>
public sealed class ProgramPreviewTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestData _data = new();

    [Fact]
    public async Task The_weekly_program_shows_a_subscribers_next_letters_in_their_time_with_subjects_rendered_for_them()
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(Monday));
        var ada = _data.Email("ada");
        var report = app.Get<SubscriberImporter>().Import(new StringReader($"email,first_name,time_zone\n{ada},Ada<b>,Europe/London\n"), "test");
        Assert.Empty(report.Errors);
        var browser = new AdminBrowser(app);
        await browser.SignInAsync();

        var page = await browser.GetPageAsync($"/admin/programs/weekly/preview?subscriber={Uri.EscapeDataString(ada)}");

        var planned = app.Get<PlanView>().For(ada, 28).Where(l => l.Source == "program:weekly").ToList();
        Assert.True(planned.Count >= 6, $"four weeks of a two-a-week program plan several letters, got {planned.Count}");
        foreach (var letter in planned)
        {
            Assert.Contains(PlanView.Format(letter.LocalTime), WebUtility.HtmlDecode(page));
            Assert.Contains($"/admin/letters/{letter.LetterId}/edit?subscriber={Uri.EscapeDataString(ada)}", page);
        }
        Assert.Contains("Ada&lt;b&gt;", page);           // the subject is rendered for her, and escaped
        Assert.DoesNotContain("Ada<b>", page);
        Assert.Contains("+00:00", WebUtility.HtmlDecode(page));                  // London in March: her own time, not the server's
        Assert.Contains("<iframe sandbox=\"\"", page);
    }

    [Fact]
    public async Task An_unknown_program_or_subscriber_is_said_plainly_and_strangers_are_sent_to_sign_in()
    {
        await using var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(Monday));
        var browser = new AdminBrowser(app);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/admin/programs/weekly/preview")).StatusCode);
        await browser.SignInAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.Http.GetAsync("/admin/programs/nope/preview")).StatusCode);
        Assert.Contains("No subscriber has the address", await browser.GetPageAsync("/admin/programs/weekly/preview?subscriber=nobody%40example.com"));
    }

    public void Dispose() => _data.Dispose();
}
