using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// One lifecycle operation at a time per deployment across every instance: a session-level advisory lock
/// (<see cref="AdvisoryLockKeys.DeploymentClass"/>, the deployment's key) held on a pooled connection for the length of
/// the operation. If the instance dies mid-operation its session ends and the lock frees.
/// </summary>
public sealed class DeploymentLocks(ClusterDatabase database)
{
    /// <summary>Waits until no other operation (on any instance) holds the deployment, then holds it until disposed.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        var connection = await database.Pooled.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", connection) { CommandTimeout = 0 };
            command.Parameters.Add(new() { Value = AdvisoryLockKeys.DeploymentClass });
            command.Parameters.Add(new() { Value = AdvisoryLockKeys.For(deploymentId) });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new Held(connection, deploymentId);
        }
        catch
        {
            // A cancelled wait may still have been granted on the server: a connection that goes back to the pool is
            // reset (DISCARD ALL), which releases every advisory lock of its session.
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The keys (<see cref="AdvisoryLockKeys.For"/>) of the deployments an operation holds right now, on any instance.</summary>
    public async Task<IReadOnlySet<int>> HeldAsync(CancellationToken cancellationToken)
    {
        await using var command = database.Pooled.CreateCommand(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::bigint::oid " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        command.Parameters.Add(new() { Value = (long)AdvisoryLockKeys.DeploymentClass });
        var held = new HashSet<int>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // pg_locks shows the signed key as an unsigned oid.
            held.Add(unchecked((int)(uint)reader.GetInt64(0)));
        }

        return held;
    }

    private sealed class Held(NpgsqlConnection connection, Guid deploymentId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
                command.Parameters.Add(new() { Value = AdvisoryLockKeys.DeploymentClass });
                command.Parameters.Add(new() { Value = AdvisoryLockKeys.For(deploymentId) });
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // The session is gone, and its locks with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
