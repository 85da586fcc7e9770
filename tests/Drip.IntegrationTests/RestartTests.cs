using System.Net;
using System.Net.Http.Json;
using System.Text;
using Drip.Delivery;
using Drip.IntegrationTests.Smtp;
using Drip.Outbox;
using Drip.Storage;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests;

/// <summary>Stopping the host in the middle of a dispatch loses no letter and sends none twice.</summary>
[Collection(PostfixGroup.Name)]
public sealed class RestartTests(PostfixFixture postfix) : IDisposable
{
    private const int Letters = 400;
    private readonly TestData _data = new();

    [Fact]
    public async Task Host_stopped_mid_dispatch_and_restarted_delivers_every_letter_exactly_once()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var csv = new StringBuilder("email,first_name\n");
        for (var i = 0; i < Letters; i++)
        {
            csv.Append(_data.Email($"reader{i}")).Append(",Reader").Append(i).Append('\n');
        }

        await using (var first = new DripApplication(_data.DataPath, postfix.Port, clock))
        {
            var api = first.CreateApiClient();
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync("/api/subscribers/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/campaigns", new { letter = "spring-news" })).StatusCode);

            using var stop = new CancellationTokenSource();
            var dispatch = first.Get<Dispatcher>().DispatchDueAsync(stop.Token);
            await postfix.WaitForAsync(_data.Domain, 50);
            stop.Cancel();
            var partial = await dispatch;
            Assert.InRange(partial.Sent, 50, Letters - 1);
        } // the host stops here, mid-campaign

        await using (var second = new DripApplication(_data.DataPath, postfix.Port, clock))
        {
            var report = await second.Get<Dispatcher>().DispatchDueAsync(CancellationToken.None);
            Assert.True(report.Sent > 0);
            var counts = second.Get<IOutboxStore>().CountByState();
            Assert.Equal(Letters, counts[OutboxState.Sent]);
            Assert.Equal(0, counts[OutboxState.Due] + counts[OutboxState.Claimed] + counts[OutboxState.Deferred]);
        }

        await postfix.WaitForAsync(_data.Domain, Letters);
        await Task.Delay(1000); // give a duplicate, if there were one, time to arrive
        var received = postfix.ReceivedFor(_data.Domain).Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(Letters, received.Count);
        Assert.Equal(Letters, received.Distinct().Count());
    }

    [Fact]
    public void A_second_process_cannot_open_a_store_that_is_in_use()
    {
        var file = Path.Combine(_data.DataPath, "drip.db");
        using var owner = new DripDatabase(file);
        var refused = Assert.Throws<StoreLockedException>(() => new DripDatabase(file));
        Assert.Contains("drip serve", refused.Message);
    }

    [Fact]
    public async Task A_host_that_is_slow_to_shut_down_has_closed_its_store_once_it_is_disposed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using (var first = new DripApplication(_data.DataPath, null, clock)
        {
            Customise = host => host.ConfigureTestServices(services => services.AddSingleton<SlowToDispose>()),
        })
        {
            first.Get<DripDatabase>();
            first.Get<SlowToDispose>(); // made after the store, so disposed before it: the store closes a second later
        }

        // What a restart does next. Drip's entry point may be the one disposing the host, on its own thread, and the slow
        // service widens that window: the store was found still locked about one run in eight on a busy machine.
        using var reopened = new DripDatabase(Path.Combine(_data.DataPath, "drip.db"));
        Assert.Equal(Path.Combine(_data.DataPath, "drip.db"), reopened.FilePath);
    }

    private sealed class SlowToDispose : IDisposable
    {
        public void Dispose() => Thread.Sleep(1000);
    }

    public void Dispose() => _data.Dispose();
}
