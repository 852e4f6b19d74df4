using Catwalk.Core.Hosting;
using Catwalk.Core.Machines;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// The local runtime stays on one host: its machines are this process's children, which no other instance can reach,
/// stop or inspect. An instance whose active runtime is local holds <see cref="AdvisoryLockKeys.LocalRuntimeHost"/> on a
/// dedicated connection for its lifetime; a second one against the same database refuses to start, saying which
/// instance holds it. The app claims it before it starts (<see cref="ClaimAsync"/>); as a hosted service it also guards
/// hosts composed without that step, and lets go when the host stops.
/// </summary>
public sealed class LocalRuntimeHostLock(ClusterDatabase database, MachineRuntimeSelection selection) : IHostedService, IAsyncDisposable
{
    private readonly SemaphoreSlim _claiming = new(1, 1);
    private NpgsqlConnection? _connection;

    public Task StartAsync(CancellationToken cancellationToken) => ClaimAsync(cancellationToken);

    /// <summary>Takes the lock when the active runtime is local (once; again is a no-op); throws
    /// <see cref="ConfigurationException"/> when another instance holds it.</summary>
    public async Task ClaimAsync(CancellationToken cancellationToken)
    {
        if (selection.Kind != RuntimeKind.Local)
        {
            return;
        }

        await _claiming.WaitAsync(cancellationToken);
        try
        {
            _connection ??= await TakeAsync(cancellationToken);
        }
        finally
        {
            _claiming.Release();
        }
    }

    private async Task<NpgsqlConnection> TakeAsync(CancellationToken cancellationToken)
    {

        var connection = await database.OpenDedicatedAsync("local-runtime", cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        command.Parameters.Add(new() { Value = AdvisoryLockKeys.InstanceClass });
        command.Parameters.Add(new() { Value = AdvisoryLockKeys.LocalRuntimeHost });
        if (await command.ExecuteScalarAsync(cancellationToken) is true)
        {
            return connection;
        }

        var holder = await HolderAsync(connection, cancellationToken);
        await connection.DisposeAsync();
        throw new ConfigurationException(
            $"Another Catwalk instance{holder} runs the local runtime against this database. The local runtime (CATWALK_RUNTIME=local, " +
            "or no FLY_API_TOKEN) runs MCP servers as child processes of one host, so only one instance may use it: stop the other " +
            "instance, give this one its own DATABASE_URL, or use the Fly runtime (FLY_API_TOKEN, FLY_MCP_APP_NAME, FLY_MCP_IMAGE) to run several.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>" (catwalk host-abc123 from 10.0.0.5)", as PostgreSQL knows the session that holds the lock.</summary>
    private static async Task<string> HolderAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT a.application_name, host(a.client_addr) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
            "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid " +
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1", connection);
        command.Parameters.Add(new() { Value = (long)AdvisoryLockKeys.InstanceClass });
        command.Parameters.Add(new() { Value = (long)AdvisoryLockKeys.LocalRuntimeHost });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return "";
        }

        var name = reader.IsDBNull(0) ? null : reader.GetString(0);
        var address = reader.IsDBNull(1) ? null : reader.GetString(1);
        return (name, address) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $" ({name} from {address})",
            ({ Length: > 0 }, _) => $" ({name})",
            _ => "",
        };
    }
}
