using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Drip.IntegrationTests.Imap;

/// <summary>
/// A real Dovecot IMAP server on a free loopback port for the test run, with one mailbox user
/// (<see cref="User"/>, <see cref="Password"/>) whose mail is a Maildir in a temporary folder.
/// </summary>
public sealed class DovecotFixture : IAsyncLifetime
{
    public const string User = "drip";
    public const string Password = "imap-test-password";

    public int Port { get; private set; }

    private string _root = "";
    private string Config => Path.Combine(_root, "dovecot.conf");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/dovecot"))
        {
            throw new InvalidOperationException("Dovecot is not installed. Run ./test.sh, which installs it, or: apt-get install dovecot-imapd");
        }
        _root = Directory.CreateTempSubdirectory("drip-dovecot-").FullName;
        await RunAsync("chmod", ["755", _root]); // dovecot's unprivileged processes must reach the config
        Port = FreePort();
        foreach (var dir in new[] { "run", "state", "log", "home" })
        {
            Directory.CreateDirectory(Path.Combine(_root, dir));
        }
        await RunAsync("chown", ["nobody:nogroup", Path.Combine(_root, "home")]);
        await File.WriteAllTextAsync(Path.Combine(_root, "users"), $"{User}:{{PLAIN}}{Password}\n");
        await File.WriteAllTextAsync(Config, $$"""
            base_dir = {{_root}}/run
            state_dir = {{_root}}/state
            log_path = {{_root}}/log/dovecot.log
            info_log_path = {{_root}}/log/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{_root}}/users
            }
            userdb {
              driver = static
              args = uid=nobody gid=nogroup home={{_root}}/home/%u
            }
            mail_location = maildir:~/Maildir
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service anvil {
              chroot =
            }
            """);
        await RunAsync("/usr/sbin/dovecot", ["-c", Config]);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await RunAsync("/usr/sbin/dovecot", ["-c", Config, "stop"]);
        }
        finally
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
