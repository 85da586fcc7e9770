using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Drip.Delivery;

/// <summary>The SMTP relay (section <c>Smtp</c>). With no <see cref="Host"/>, letters go to the pickup folder instead.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    /// <summary>Relay host name; empty means "write .eml files to the pickup folder".</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>Auto</c>, <c>None</c>, <c>StartTls</c>, <c>StartTlsWhenAvailable</c> or <c>SslOnConnect</c>.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Parallel SMTP sessions; each is one connection reused for many letters.</summary>
    [Range(1, 64)]
    public int Connections { get; set; } = 4;

    /// <summary>The most messages a second this relay gets, over all connections (0: no limit). See <see cref="SendRate"/>.</summary>
    [Range(0, 100_000)]
    public double MessagesPerSecond { get; set; }

    /// <summary>How long one SMTP command may take before the connection is considered dead.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection idle longer than this is reopened before use (servers drop idle sessions).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Folder for .eml files when no relay is configured.</summary>
    public string PickupPath { get; set; } = Path.Combine("data", "pickup");

    public bool UsesRelay => !string.IsNullOrWhiteSpace(Host);
}
