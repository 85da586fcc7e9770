using System.Diagnostics;
using System.Net;

namespace Drip.Bench.Load;

/// <summary>
/// A closed-loop HTTP load: <c>concurrency</c> workers over keep-alive connections, each sending its next request as
/// soon as the last is answered, until every request of the list has been sent. Records each answer's status, latency
/// and the moment it arrived.
/// </summary>
internal sealed class LoadClient(Uri address, int concurrency) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    })
    { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>One answered request: its index in the list, the HTTP status (0 for a transport error), latency, and when it was answered.</summary>
    public readonly record struct Answer(int Index, int Status, double LatencyMs, DateTimeOffset At);

    public sealed record Outcome(IReadOnlyList<Answer> Answers, TimeSpan Elapsed, IReadOnlyList<string> Errors)
    {
        public double RequestsPerSecond => Answers.Count / Elapsed.TotalSeconds;

        public int Failed => Answers.Count(a => a.Status != 200);

        public double LatencyPercentile(double p)
        {
            var sorted = Answers.Select(a => a.LatencyMs).Order().ToArray();
            return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
        }
    }

    /// <summary>Sends every request <paramref name="make"/> builds for indexes 0..count-1, <c>concurrency</c> at a time.</summary>
    public async Task<Outcome> RunAsync(int count, Func<int, HttpRequestMessage> make)
    {
        var answers = new Answer[count];
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var next = -1;
        var watch = Stopwatch.StartNew();
        async Task WorkAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var status = 0;
                try
                {
                    using var request = make(i);
                    using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    status = (int)response.StatusCode;
                    if (status != 200 && errors.Count < 10)
                    {
                        errors.Enqueue($"{request.Method} {request.RequestUri}: {status} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (HttpRequestException e)
                {
                    errors.Enqueue($"request {i}: {e.Message}");
                }
                answers[i] = new Answer(i, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds, DateTimeOffset.UtcNow);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync)));
        return new Outcome(answers, watch.Elapsed, errors.ToArray());
    }

    public void Dispose() => _client.Dispose();
}
