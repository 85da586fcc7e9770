using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Drip.BrowserTests;

/// <summary>
/// One headless Chromium per test class. It is Debian's chromium (test.sh installs it): Playwright cannot
/// download its own browser on this network, so it drives the system one through <c>ExecutablePath</c>.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps calling home, and on a closed network those
    // refused connections slow every page; the sandbox needs user namespaces that containers lack.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    // Chromium starts with the first test that needs it, so a class whose tests are all skipped costs nothing.
    // xunit runs the tests of a class one after another, so two tests never launch it at once.
    public Task InitializeAsync() => Task.CompletedTask;

    private async Task<IBrowser> BrowserAsync()
    {
        if (_browser is null)
        {
            if (!File.Exists(ExecutablePath))
            {
                throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium (apt-get install chromium), as ./test.sh does.");
            }
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = Arguments });
        }
        return _browser;
    }

    /// <summary>Starts a fresh Drip host and a fresh browser context (no cookies) on it, for one test.</summary>
    /// <param name="now">Where the host's clock starts; the real time when not given.</param>
    /// <param name="test">Names the screenshots; the calling test method's name.</param>
    public async Task<BrowserSession> OpenAsync(DateTimeOffset? now = null, [CallerMemberName] string test = "")
    {
        var server = await DripServer.StartAsync(now);
        try
        {
            return await BrowserSession.OpenAsync(await BrowserAsync(), server, test);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
