using System.Net;

namespace Catwalk.Core.Machines;

/// <summary>
/// The HTTP connections to machines, as a reverse proxy wants them: no proxy, redirects, decompression, cookies or
/// trace headers of its own (the client's pass through), pooled and kept a while so calls do not pay a new connection.
/// </summary>
public static class MachineNetworkHandler
{
    public static SocketsHttpHandler Create() => new()
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = null,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    };
}
