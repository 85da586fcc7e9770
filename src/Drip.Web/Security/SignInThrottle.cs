using System.Globalization;

namespace Drip.Web.Security;

/// <summary>
/// Slows down password guessing on <c>POST /admin/sign-in</c>: after <see cref="PerAccount"/> failures for one address
/// or <see cref="PerClient"/> from one client address within <see cref="Window"/>, further attempts are refused
/// (429) without checking the password, even a right one, until the oldest failure ages out. A successful sign-in
/// clears that account's failures; the client's count stays, so one client cannot reset it by signing in to its own account.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock)
{
    public const int PerAccount = 5;
    public const int PerClient = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly RecentAttempts _accounts = new(PerAccount, Window, clock);
    private readonly RecentAttempts _clients = new(PerClient, Window, clock);

    /// <summary>How long this attempt must wait, or null when it may go ahead.</summary>
    public TimeSpan? Refusal(string email, HttpContext http)
    {
        var account = _accounts.IsFull(AccountKey(email), out var accountWait);
        var client = _clients.IsFull(ClientKey(http), out var clientWait);
        return account || client ? TimeSpan.FromTicks(Math.Max(accountWait.Ticks, clientWait.Ticks)) : null;
    }

    public void Failed(string email, HttpContext http)
    {
        _accounts.Record(AccountKey(email));
        _clients.Record(ClientKey(http));
    }

    public void Succeeded(string email) => _accounts.Clear(AccountKey(email));

    /// <summary>The message shown with the 429, in whole minutes rounded up.</summary>
    public static string Message(TimeSpan wait)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
        return string.Create(CultureInfo.InvariantCulture,
            $"Too many failed sign-ins. Wait {minutes} minute{(minutes == 1 ? "" : "s")} and try again; nothing was checked this time.");
    }

    private static string AccountKey(string email) => email.Trim().ToLowerInvariant();

    // Behind no proxy this is the caller; an in-memory test server has none, and all such callers share one count.
    private static string ClientKey(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "";
}
