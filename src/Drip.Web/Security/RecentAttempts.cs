using System.Collections.Concurrent;

namespace Drip.Web.Security;

/// <summary>
/// Counts attempts per key over a sliding window on the injected clock, so tests move time with a fake clock
/// (ASP.NET's rate limiter reads the real one). Used for test letters per admin and failed sign-ins per account
/// and per address. Keys whose attempts have all aged out are dropped, so guessing many names costs no memory.
/// </summary>
internal sealed class RecentAttempts(int limit, TimeSpan window, TimeProvider clock)
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _attempts = new(StringComparer.OrdinalIgnoreCase);

    public int Limit => limit;

    public TimeSpan Window => window;

    /// <summary>Counts an attempt unless <see cref="Limit"/> are already within the window; false when refused.</summary>
    public bool TryTake(string key)
    {
        if (IsFull(key, out _))
        {
            return false;
        }
        Record(key);
        return true;
    }

    /// <summary>True when <see cref="Limit"/> attempts fall within the window; <paramref name="retryAfter"/> is when the oldest ages out.</summary>
    public bool IsFull(string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_attempts.TryGetValue(key, out var recent))
        {
            return false;
        }
        var now = clock.GetUtcNow();
        lock (recent)
        {
            Forget(recent, now);
            if (recent.Count < limit)
            {
                return false;
            }
            retryAfter = recent.Peek() + window - now;
            return true;
        }
    }

    public void Record(string key)
    {
        var now = clock.GetUtcNow();
        if (_attempts.Count > SweepAbove)
        {
            Sweep(now);
        }
        var recent = _attempts.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            Forget(recent, now);
            recent.Enqueue(now);
        }
    }

    public void Clear(string key) => _attempts.TryRemove(key, out _);

    private void Forget(Queue<DateTimeOffset> recent, DateTimeOffset now)
    {
        while (recent.Count > 0 && now - recent.Peek() >= window)
        {
            recent.Dequeue();
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, recent) in _attempts)
        {
            lock (recent)
            {
                Forget(recent, now);
                if (recent.Count == 0)
                {
                    _attempts.TryRemove(key, out _);
                }
            }
        }
    }
}
