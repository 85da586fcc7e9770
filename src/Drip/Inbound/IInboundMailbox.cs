using MimeKit;

namespace Drip.Inbound;

/// <summary>Where inbound mail is read from.</summary>
public interface IInboundMailbox
{
    /// <summary>
    /// Hands up to <paramref name="max"/> waiting messages to <paramref name="handle"/>, one at a time, and
    /// marks each handled once it returns, so every message is read once. Returns how many were handled.
    /// </summary>
    Task<int> ReadAsync(Func<MimeMessage, CancellationToken, Task> handle, int max, CancellationToken cancellationToken);
}
