using Drip.Security;

namespace Drip.Web.Security;

/// <summary>
/// Loads the signing key at start-up rather than with the first link: a configured key was checked by the options
/// validators just before; with none, this generates the installation's key (or reads it back), so a damaged key
/// file stops Drip now instead of failing a send later.
/// </summary>
internal sealed class SigningKeyCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<TokenSigner>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
