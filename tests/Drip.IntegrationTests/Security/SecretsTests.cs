using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Drip.Feedback;
using Drip.IntegrationTests.Admin;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Drip.IntegrationTests.Security;

/// <summary>
/// Secrets come in through configuration and never go out: not in any log line at any level while Drip signs in,
/// serves the API, refuses a wrong key and sends a DKIM-signed letter; and an error answers without its stack trace.
/// Runs as Production, as `dotnet run` does.
/// </summary>
public sealed class SecretsTests : IDisposable
{
    private const string SmtpPassword = "smtp-password-5f2c9e1a7b";
    private const string ImapPassword = "imap-password-8d3b6a0c4e";
    private const string WrongPassword = "wrong-password-2e7f9a1c";
    private const string WrongApiKey = "drip_wrong-key-6b1d8e3f0a9c7e5d2b4a";

    private readonly TestData _data = new();
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _dkimKey = NewDkimKey();

    private DripApplication App(LogRecorder logs, Action<IServiceCollection>? services = null)
    {
        var app = new DripApplication(_data.DataPath, null, new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        app.Settings["Smtp:Username"] = "drip";
        app.Settings["Smtp:Password"] = SmtpPassword;
        app.Settings["Inbound:Imap:Password"] = ImapPassword;
        app.Settings["Signing:Keys:k1"] = _signingKey;
        app.Settings["Dkim:PrivateKey"] = _dkimKey;
        app.Settings["Dkim:Domain"] = "example.com";
        app.Settings["Dkim:Selector"] = "drip";
        foreach (var category in new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.Hosting.Lifetime", "Quartz", "System" })
        {
            app.Settings[$"Logging:LogLevel:{category}"] = "Trace";
        }
        app.Customise = b => b.UseEnvironment("Production").ConfigureLogging(l => l.AddProvider(logs)).ConfigureTestServices(s => services?.Invoke(s));
        return app;
    }

    [Fact]
    public async Task No_log_line_at_any_level_holds_a_password_a_key_or_the_dkim_key()
    {
        var logs = new LogRecorder();
        await using var app = App(logs);
        var browser = new AdminBrowser(app);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync(password: WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync()).StatusCode);
        var api = app.CreateApiClient();
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/subscribers", new { email = "ada@example.org" })).StatusCode);
        var made = await api.PostAsJsonAsync("/api/keys", new { name = "shop" });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var newKey = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        var withNewKey = app.CreateClient();
        withNewKey.DefaultRequestHeaders.Authorization = new("Bearer", newKey);
        Assert.Equal(HttpStatusCode.OK, (await withNewKey.GetAsync("/api/stats")).StatusCode);
        var stranger = app.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new("Bearer", WrongApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/stats")).StatusCode);
        var test = await browser.SubmitAsync("/admin/letters/how-did-we-do/edit", "/admin/letters/how-did-we-do/test", []);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var sent = Directory.GetFiles(Path.Combine(_data.DataPath, "pickup"), "*.eml").Select(File.ReadAllText).Single();
        Assert.Contains("DKIM-Signature:", sent);

        var secrets = new Dictionary<string, string>
        {
            ["the SMTP password"] = SmtpPassword,
            ["the IMAP password"] = ImapPassword,
            ["the signing key"] = _signingKey,
            ["the DKIM private key"] = _dkimKey.Split('\n')[5], // a line of the key's body
            ["the configured API key"] = DripApplication.ApiKey,
            ["the API key made through the API"] = newKey,
            ["the refused API key"] = WrongApiKey,
            ["the admin password"] = DripApplication.AdminPassword,
            ["the wrong password"] = WrongPassword,
        };
        var lines = logs.Lines.ToList();
        Assert.True(lines.Count > 100, $"only {lines.Count} log lines were recorded: the recorder does not see the host's logs");
        Assert.Contains(lines, l => l.Contains("/api/stats", StringComparison.Ordinal)); // trace-level request logs are in
        foreach (var (name, secret) in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log line holds {name}: {leak}");
        }
    }

    [Fact]
    public async Task An_error_answers_without_its_message_or_stack_trace()
    {
        var logs = new LogRecorder();
        await using var app = App(logs, services => services.AddSingleton(DispatchProxy.Create<ILetterStatsStore, FailingStore>()));
        var browser = new AdminBrowser(app);
        var api = app.CreateApiClient();
        await browser.SignInAsync();

        var answers = new[]
        {
            await api.GetAsync("/api/stats"),
            await browser.Http.GetAsync("/admin/letters"),
            await api.PostAsync("/api/subscribers", new StringContent("{\"email\": ", System.Text.Encoding.UTF8, "application/json")),
        };

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.BadRequest], answers.Select(a => a.StatusCode));
        foreach (var answer in answers)
        {
            var body = await answer.Content.ReadAsStringAsync();
            Assert.DoesNotContain(FailingStore.Message, body);
            Assert.DoesNotContain(" at Drip.", body);
            Assert.DoesNotContain(" at System.", body);
            Assert.DoesNotContain("Exception", body);
            Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single()); // set again after the error handler cleared the response
        }
        Assert.Contains(logs.Lines, l => l.Contains(FailingStore.Message, StringComparison.Ordinal)); // the operator still finds it in the log
    }

    private static string NewDkimKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportRSAPrivateKeyPem();
    }

    public void Dispose() => _data.Dispose();

    /// <summary>A store whose every call fails, as a broken disk would.</summary>
    public class FailingStore : DispatchProxy
    {
        public const string Message = "the store broke: internal detail 7c1e";

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => throw new IOException(Message);
    }

    /// <summary>Every log message with its formatted text, its values and its exception.</summary>
    private sealed class LogRecorder : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IEnumerable<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Recorder(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Recorder(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
            }
        }
    }
}
