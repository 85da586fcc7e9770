using Drip.Accounts;
using Drip.Subscribers;
using Microsoft.AspNetCore.Identity;

namespace Drip.Web.Admin;

/// <summary>
/// Creates and checks admin accounts. Passwords are hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2 with a per-password salt); a failed sign-in costs the same
/// time whether or not the address has an account, so the form does not tell who has one.
/// </summary>
internal sealed class AdminAccounts(IAdminStore store, TimeProvider clock)
{
    public const int MinimumPasswordLength = 12;
    private static readonly PasswordHasher<AdminAccount> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword(new AdminAccount(), Guid.NewGuid().ToString());

    public AdminAccount Create(string email, string password)
    {
        var address = EmailAddress.Normalise(email, out var error) ?? throw new AdminAccountException(error ?? "not an email address");
        if (password.Length < MinimumPasswordLength)
        {
            throw new AdminAccountException($"the password must be at least {MinimumPasswordLength} characters long");
        }
        var account = store.Find(address) ?? new AdminAccount { Id = address.ToLowerInvariant(), Email = address, CreatedAt = clock.GetUtcNow() };
        account.PasswordHash = Hasher.HashPassword(account, password);
        store.Save(account);
        return account;
    }

    public AdminAccount? Verify(string email, string password)
    {
        var account = string.IsNullOrWhiteSpace(email) ? null : store.Find(email);
        var result = Hasher.VerifyHashedPassword(account ?? new AdminAccount(), account?.PasswordHash ?? DummyHash, password);
        if (account is null || result == PasswordVerificationResult.Failed)
        {
            return null;
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            account.PasswordHash = Hasher.HashPassword(account, password);
        }
        account.LastSignInAt = clock.GetUtcNow();
        store.Save(account);
        return account;
    }

    public int Count() => store.Count();
}

/// <summary>An account that cannot be made as asked; the message is written for the person making it.</summary>
internal sealed class AdminAccountException(string message) : Exception(message);

/// <summary>
/// The first admin from configuration (<c>Admin:Email</c>, <c>Admin:Password</c>, best given as environment
/// variables): created at start-up when that address has no account yet. An existing account is never overwritten.
/// </summary>
internal sealed class AdminSeeder(AdminAccounts accounts, IAdminStore store, IConfiguration configuration, ILogger<AdminSeeder> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var email = configuration["Admin:Email"];
        var password = configuration["Admin:Password"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            if (store.Count() == 0)
            {
                log.LogWarning("No admin account yet: set Admin:Email and Admin:Password, or run 'drip admin add EMAIL'");
            }
            return Task.CompletedTask;
        }
        if (store.Find(email) is null)
        {
            accounts.Create(email, password);
            log.LogInformation("Created the admin account for {Email} from configuration", email);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
