namespace Drip.Accounts;

/// <summary>A person who may sign in to the marketer's web app. The password is kept only as a salted hash.</summary>
public sealed class AdminAccount
{
    /// <summary>The lower-cased email: one account per address.</summary>
    public string Id { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>ASP.NET Core Identity's PBKDF2 hash (format v3), never the password.</summary>
    public string PasswordHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }
}

/// <summary>What the web app needs from wherever accounts are kept.</summary>
public interface IAdminStore
{
    AdminAccount? Find(string email);

    void Save(AdminAccount account);

    int Count();
}
