using Drip.Storage;
using Drip.Web.Auth;
using Drip.Web.Cli;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Drip.Web;

/// <summary>
/// While serving, leaves <c>data/host.json</c> (address and a per-run admin token, readable only by the
/// owner) so <c>drip import/event/campaign</c> run in another terminal go through this process instead
/// of opening the store a second time. Taking <see cref="DripDatabase"/> here opens the store (and its
/// lock) at start-up, before the note exists, rather than at the first request or tick.
/// </summary>
internal sealed class HostFileWriter(IServer server, IHostApplicationLifetime lifetime, StoreOptions store, DripDatabase database, LocalAdminToken token) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (address is not null)
            {
                HostFile.Write(store.DataPath, new HostFile.Info(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://localhost"), token.Value, Environment.ProcessId));
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        HostFile.Delete(store.DataPath);
        return Task.CompletedTask;
    }
}
