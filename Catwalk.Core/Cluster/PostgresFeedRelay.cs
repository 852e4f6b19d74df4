using Catwalk.Core.Deployments;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Sends what this instance publishes to the other instances: <c>pg_notify</c> on <see cref="ClusterFeedMessage.Channel"/>,
/// delivered by PostgreSQL to every listening session of the database. An update that takes access away (a rotated
/// token, a revoked approval, a deletion) returns only once this instance heard it back: the other instances heard it
/// at the same moment, so the answer that reports it (the new token) reaches nobody before they refuse the old one.
/// </summary>
internal sealed class PostgresFeedRelay(ClusterDatabase database, ClusterFeedState state, IOptions<ClusterOptions> options) : IStatusFeedRelay
{
    /// <summary>How long a revoking update waits to hear itself back (a listener that lost its connection drops its caches anyway).</summary>
    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(2);

    public async Task RelayAsync(StatusUpdate update, CancellationToken cancellationToken)
    {
        var message = new ClusterFeedMessage(options.Value.InstanceId, Guid.NewGuid(), update);
        var echo = RevokesAccess(update) && state.IsListening ? state.EchoOf(message.Id) : null;
        try
        {
            await using var command = database.Pooled.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new() { Value = ClusterFeedMessage.Channel });
            command.Parameters.Add(new() { Value = message.ToPayload() });
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (echo is not null)
            {
                await echo.WaitAsync(EchoTimeout, cancellationToken);
            }
        }
        catch (TimeoutException)
        {
            // Not heard back in time: this instance's listener lost its connection, and drops what it cached.
        }
        finally
        {
            state.Forget(message.Id);
        }
    }

    private static bool RevokesAccess(StatusUpdate update) =>
        update is DeploymentTokenRotated or OAuthApprovalRevoked or DeploymentStatusChanged { To: DeploymentStatus.Deleting };
}
