using System.Net;
using System.Net.Sockets;

namespace Drip.Bench;

/// <summary>Ports on 127.0.0.1 for the servers a measurement starts (smtp-sink, the Drip host).</summary>
internal static class Loopback
{
    /// <summary>A port nothing listens on now: the system picks it, and it is released for the caller's server.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
