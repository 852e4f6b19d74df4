using Catwalk.Core.Deployments;
using Npgsql;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Sends what this instance publishes to the other instances: <c>pg_notify</c> on <see cref="ClusterFeedMessage.Channel"/>,
/// delivered by PostgreSQL to every listening session of the database. An update that takes access away (a rotated
/// token, a revoked approval, a deletion) returns only once every instance listening on the database (PostgreSQL's
/// <c>pg_stat_activity</c> counts their feed connections) acknowledged it, within a short deadline: the answer that
/// reports it (the new token) reaches nobody before every instance refuses the old one.
/// </summary>
internal sealed class PostgresFeedRelay(ClusterDatabase database, ClusterFeedState state, IOptions<ClusterOptions> options) : IStatusFeedRelay
{
    /// <summary>How long a revoking update waits for the acknowledgements (an instance that lost its connection drops its caches anyway).</summary>
    private static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(2);

    public async Task RelayAsync(StatusUpdate update, CancellationToken cancellationToken)
    {
        var message = new ClusterFeedMessage(options.Value.InstanceId, Guid.NewGuid(), update);
        var waitForAll = message.RevokesAccess && state.IsListening;
        try
        {
            await using var connection = await database.Pooled.OpenConnectionAsync(cancellationToken);
            var listeners = waitForAll ? await CountListenersAsync(connection, cancellationToken) : 0;
            var acknowledged = waitForAll ? state.AcknowledgedBy(message.Id, listeners) : null;
            await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection))
            {
                notify.Parameters.Add(new() { Value = ClusterFeedMessage.Channel });
                notify.Parameters.Add(new() { Value = message.ToPayload() });
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }

            if (acknowledged is not null)
            {
                await acknowledged.WaitAsync(AcknowledgementTimeout, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
            // Some instance did not answer in time: it lost its connection (and drops its caches), or it just died.
        }
        finally
        {
            state.Forget(message.Id);
        }
    }

    private static async Task<int> CountListenersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var count = new NpgsqlCommand(
            "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1", connection);
        count.Parameters.Add(new() { Value = ClusterDatabase.Describe("%", ClusterDatabase.FeedRole) });
        return (int)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}
