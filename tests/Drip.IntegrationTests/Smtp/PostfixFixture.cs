using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Drip.IntegrationTests.Smtp;

/// <summary>
/// A real Postfix on a free loopback port for the whole test run, delivering everything it accepts to
/// one Maildir and refusing <c>hard-*</c> (550), <c>soft-*</c> (450), <c>full-*</c> (452) and
/// <c>policy-*</c> (554) recipients at RCPT. Tests read what the server actually received.
/// </summary>
public sealed class PostfixFixture : IAsyncLifetime
{
    public int Port { get; private set; }

    public string Root { get; private set; } = "";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MimeMessage> _parsed = new(StringComparer.Ordinal);

    private string Maildir => Path.Combine(Root, "mail", "catchall", "new");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/sbin/postfix"))
        {
            throw new InvalidOperationException("Postfix is not installed. Run ./test.sh, which installs it, or: apt-get install postfix");
        }
        Root = Directory.CreateTempSubdirectory("drip-postfix-").FullName;
        Port = FreePort();
        var script = Path.Combine(AppContext.BaseDirectory, "Smtp", "pfx-setup.sh");
        await RunAsync("bash", [script], ("D", Root), ("PORT", Port.ToString()));
        await RunAsync("/usr/sbin/postfix", ["-c", Path.Combine(Root, "etc"), "start"]);
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
            await RunAsync("/usr/sbin/postfix", ["-c", Path.Combine(Root, "etc"), "stop"]);
        }
        finally
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Every message delivered so far whose To: is one of the given domain's addresses.</summary>
    public IReadOnlyList<MimeMessage> ReceivedFor(string domain)
    {
        if (!Directory.Exists(Maildir))
        {
            return [];
        }
        var found = new List<MimeMessage>();
        foreach (var file in Directory.EnumerateFiles(Maildir))
        {
            // A delivered Maildir file never changes: parse each once, however often a test polls.
            var message = _parsed.GetOrAdd(file, f => MimeMessage.Load(f));
            if (message.To.Mailboxes.Any(m => m.Address.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)))
            {
                found.Add(message);
            }
        }
        return found;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages for the domain have arrived.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string domain, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var received = ReceivedFor(domain);
            if (received.Count >= count)
            {
                return received;
            }
            if (DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(Root, "log", "maillog");
                var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(15)) : "(no log)";
                throw new TimeoutException($"Postfix received {received.Count} of {count} messages for {domain}. Log tail:\n{tail}");
            }
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] args, params (string Key, string Value)[] env)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env)
        {
            start.Environment[k] = v;
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

[CollectionDefinition(Name)]
public sealed class PostfixGroup : ICollectionFixture<PostfixFixture>
{
    public const string Name = "postfix";
}
