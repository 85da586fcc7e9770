using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Drip.Campaigns;
using Drip.Delivery;
using Drip.Outbox;
using Drip.Subscribers;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Drip.IntegrationTests.Smtp;

/// <summary>
/// The short CI version of the load check (the rate is measured in the benchmark harness): while a broadcast goes out
/// to the real Postfix, one-click unsubscribes arrive many at a time. None may fail, and each must be honoured for every
/// letter not already on its way: at any moment, at most one letter per SMTP connection can have been past its last check.
/// </summary>
[Collection(PostfixGroup.Name)]
public sealed class UnsubscribeUnderLoadTests(PostfixFixture postfix, ITestOutputHelper output) : IDisposable
{
    private const int Letters = 2000;
    private const int Leaving = 600;
    private const int Connections = 4;
    private readonly TestData _data = new();

    [Fact]
    public async Task One_click_unsubscribes_during_a_broadcast_all_succeed_and_stop_every_letter_not_yet_on_its_way()
    {
        await using var app = new DripApplication(_data.DataPath, postfix.Port, new WallClock());
        app.Settings["Smtp:Connections"] = Connections.ToString();
        var csv = "email,first_name\n" + string.Concat(Enumerable.Range(0, Letters).Select(i => $"{_data.Email($"r{i}")},Reader{i}\n"));
        Assert.Empty(app.Get<SubscriberImporter>().Import(new StringReader(csv), "load test").Errors);
        app.Get<CampaignEnqueuer>().Enqueue("spring-news", SubscriberFilter.Mailable, app.Clock.GetUtcNow(), "load");
        var links = app.Get<UnsubscribeLinks>();
        var leavers = app.Get<ISubscriberStore>().Stream(SubscriberFilter.Mailable).Where((_, i) => i % (Letters / Leaving) == 0).Take(Leaving).ToList();
        var client = app.CreateClient();

        var answered = new ConcurrentDictionary<string, DateTimeOffset>(); // email → when the unsubscribe was answered
        var failures = new ConcurrentBag<string>();
        var sending = app.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(leavers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (s, ct) =>
        {
            var path = new Uri(links.Url(s.Id, "spring-news")).PathAndQuery;
            using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{s.Email}: {(int)response.StatusCode}");
            }
            answered[s.Email] = DateTimeOffset.UtcNow;
        });
        var unsubscribing = clock.Elapsed;
        var report = await sending;
        output.WriteLine($"{Leaving} unsubscribes in {unsubscribing.TotalMilliseconds:0} ms while sending; dispatch: {report.Sent} sent, {report.Skipped} skipped");

        Assert.Empty(failures);
        var received = await postfix.WaitForAsync(_data.Domain, report.Sent);
        await Task.Delay(300);
        received = postfix.ReceivedFor(_data.Domain);
        Assert.Equal(report.Sent, received.Count); // nothing sent twice
        // A letter counts as late when Postfix accepted it (its send's SentAt, taken when the 250 came back) after its
        // reader's unsubscribe was answered. Postfix's own delivery into the Maildir comes later still, by as long as its
        // queue takes, which is no measure of what Drip did.
        var late = new List<(DateTimeOffset Answered, DateTimeOffset Accepted)>();
        foreach (var s in leavers)
        {
            var stored = app.Get<ISubscriberStore>().Find(s.Id)!;
            Assert.Equal(SubscriberStatus.Unsubscribed, stored.Status);
            var send = app.Get<IOutboxStore>().ForSubscriber(s.Id).Single();
            Assert.True(send.State is OutboxState.Sent or OutboxState.Skipped, $"{s.Email}: {send.State}");
            if (send.State == OutboxState.Sent && send.SentAt > answered[s.Email])
            {
                late.Add((answered[s.Email], send.SentAt!.Value));
            }
        }
        // A late letter passed its last check before the unsubscribe was stored, so from the answer to its acceptance it
        // was on its connection, which sends one letter at a time: at no moment can more late letters than connections
        // be between the two. Over the whole broadcast there can be more, one after another, when the unsubscribes move
        // down the list as fast as the letters do.
        var mostAtOnce = MostAtOnce(late);
        output.WriteLine($"{late.Count} letters were accepted by Postfix after their reader's unsubscribe was answered, at most {mostAtOnce} at once");
        Assert.InRange(mostAtOnce, 0, Connections);
        var everyoneElse = Letters - Leaving;
        Assert.True(report.Sent >= everyoneElse, $"everyone who stayed gets the letter ({report.Sent} sent)");
    }

    /// <summary>The most of these intervals that overlap at any one moment.</summary>
    private static int MostAtOnce(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> intervals)
    {
        // Starts before ends at the same instant: touching intervals count as overlapping, the stricter reading.
        var edges = intervals.SelectMany(i => new[] { (At: i.From, Step: 1), (At: i.To, Step: -1) }).OrderBy(e => e.At).ThenByDescending(e => e.Step);
        int open = 0, most = 0;
        foreach (var edge in edges)
        {
            open += edge.Step;
            most = Math.Max(most, open);
        }
        return most;
    }

    public void Dispose() => _data.Dispose();

    /// <summary>The wall clock, so that a send's SentAt can be set against when an unsubscribe was answered.</summary>
    private sealed class WallClock : FakeTimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow;
    }
}
