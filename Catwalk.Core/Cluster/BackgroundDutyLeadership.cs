using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Which instance runs the background duties (the monitor and its idle stop, reconciliation, orphan cleanup): the one
/// holding the session-level advisory lock <see cref="AdvisoryLockKeys.Leader"/> on a dedicated connection. The others
/// try to take it every <c>CATWALK_LEADER_CHECK_INTERVAL</c>; the leader checks its connection as often and steps down
/// when it is lost. When the leader's process dies, its connection closes, PostgreSQL frees the lock and a standby
/// takes over at its next try.
/// </summary>
public sealed partial class BackgroundDutyLeadership(
    ClusterDatabase database,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<BackgroundDutyLeadership> logger) : BackgroundService
{
    private TaskCompletionSource _elected = NewElection();

    /// <summary>True while this instance holds the lock (as far as it knows: at most one check interval late).</summary>
    public bool IsLeader => _elected.Task.IsCompletedSuccessfully;

    /// <summary>Completes when this instance is (or becomes) the leader.</summary>
    public Task WaitUntilLeaderAsync(CancellationToken cancellationToken) => _elected.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LeaderCheckInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenDedicatedAsync("leader", stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (IsLeader)
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                    else if (await TryTakeAsync(connection, stoppingToken))
                    {
                        _elected.TrySetResult();
                        LogElected(logger, options.Value.InstanceId);
                    }

                    await Task.Delay(interval, time, stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                StepDown(ex.Message);
                await DelayQuietlyAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: closing the connection hands the lock to a standby.
            }
        }

        StepDown(null);
    }

    private static async Task<bool> TryTakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        command.Parameters.Add(new() { Value = AdvisoryLockKeys.InstanceClass });
        command.Parameters.Add(new() { Value = AdvisoryLockKeys.Leader });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private void StepDown(string? reason)
    {
        if (!IsLeader)
        {
            return;
        }

        _elected = NewElection();
        if (reason is not null)
        {
            LogSteppedDown(logger, reason);
        }
    }

    private async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static TaskCompletionSource NewElection() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "This instance ({InstanceId}) runs the background duties: monitor, idle stop, reconciliation")]
    private static partial void LogElected(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This instance stopped running the background duties: its database connection was lost ({Reason}); another instance takes over")]
    private static partial void LogSteppedDown(ILogger logger, string reason);
}
