using Catwalk.Core.Deployments;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Cluster;

/// <summary>Sends what this instance publishes to the other instances: <c>pg_notify</c> on <see cref="ClusterFeedMessage.Channel"/>,
/// delivered by PostgreSQL to every listening session of the database.</summary>
internal sealed class PostgresFeedRelay(ClusterDatabase database, IOptions<ClusterOptions> options) : IStatusFeedRelay
{
    public async Task RelayAsync(StatusUpdate update, CancellationToken cancellationToken)
    {
        await using var command = database.Pooled.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new() { Value = ClusterFeedMessage.Channel });
        command.Parameters.Add(new() { Value = new ClusterFeedMessage(options.Value.InstanceId, update).ToPayload() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
