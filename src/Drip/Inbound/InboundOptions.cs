using MailKit.Security;

namespace Drip.Inbound;

/// <summary>
/// Where bounces, complaints and replies arrive (section <c>Inbound</c>): an IMAP mailbox in production,
/// or, by default, a folder of <c>.eml</c> files (a Maildir's <c>new/</c> works) that needs no service.
/// </summary>
public sealed class InboundOptions
{
    public const string Section = "Inbound";

    /// <summary>The folder read when no IMAP host is set; relative paths are under the working directory.</summary>
    public string Folder { get; set; } = "data/inbound";

    /// <summary>How often the mailbox is read.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public ImapOptions Imap { get; set; } = new();
}

/// <summary>The IMAP mailbox (<c>Inbound:Imap:*</c>); the password comes from configuration or the environment, never the repository.</summary>
public sealed class ImapOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string Mailbox { get; set; } = "INBOX";

    /// <summary>Where handled messages are moved (made when missing); '/' separates levels whatever the server's separator.</summary>
    public string ProcessedMailbox { get; set; } = "Drip/Processed";
}
