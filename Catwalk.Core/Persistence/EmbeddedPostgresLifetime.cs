using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Persistence;

/// <summary>Says where the embedded PostgreSQL cluster runs when the host starts, and stops it when the host stops
/// (registered first, so it stops last).</summary>
internal sealed partial class EmbeddedPostgresLifetime(EmbeddedPostgresCluster cluster, ILogger<EmbeddedPostgresLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogRunning(logger, cluster.Version, cluster.DataDirectory, cluster.Port,
            cluster.StartedHere ? "started by this process" : "already running, reused");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        cluster.Stop();
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Embedded PostgreSQL {Version} in {DataDirectory}, listening on 127.0.0.1:{Port} ({How}); set DATABASE_URL to use another database")]
    private static partial void LogRunning(ILogger logger, string version, string dataDirectory, int? port, string how);
}
