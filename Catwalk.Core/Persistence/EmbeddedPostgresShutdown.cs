using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Persistence;

/// <summary>Stops the embedded PostgreSQL cluster when the host stops (registered first, so it stops last).</summary>
internal sealed class EmbeddedPostgresShutdown(EmbeddedPostgresCluster cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        cluster.Stop();
        return Task.CompletedTask;
    }
}
