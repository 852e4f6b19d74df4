using Catwalk.Core.Deployments;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Listens on <see cref="ClusterFeedMessage.Channel"/> over a dedicated connection and hands the other instances'
/// updates to this instance's subscribers (pages, the route cache, the forwarder) as they arrive, in the order they
/// were sent (subscribers only drop cache entries or queue a re-render, so the connection is never held up). While it
/// is not listening (at start, after losing the connection) it says so with <see cref="StatusFeedInterrupted"/> and
/// <see cref="ClusterFeedState.IsListening"/>, so whatever was cached from the database is dropped and not trusted, and
/// says so again once it listens anew.
/// </summary>
public sealed partial class ClusterFeedListener(
    ClusterDatabase database,
    DeploymentStatusFeed feed,
    ClusterFeedState state,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterFeedListener> logger) : BackgroundService
{
    private bool _lossReported;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
            {
                if (!_lossReported)
                {
                    LogLost(logger, ex.Message);
                }

                _lossReported = true;
            }
            finally
            {
                Interrupted();
            }

            try
            {
                await Task.Delay(options.Value.FeedCheckInterval / 5, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.OpenDedicatedAsync(ClusterDatabase.FeedRole, stoppingToken);
        var self = options.Value.InstanceId;
        connection.Notification += (_, e) =>
        {
            if (e.Channel == ClusterFeedMessage.AcknowledgementChannel)
            {
                if (Guid.TryParse(e.Payload, out var acknowledged))
                {
                    state.Acknowledged(acknowledged);
                }

                return;
            }

            if (ClusterFeedMessage.FromPayload(e.Payload) is not { } message)
            {
                return;
            }

            if (message.Origin == self)
            {
                // Delivered in process when it was published.
                state.Acknowledged(message.Id);
                return;
            }

            // On the connection's own reading, so nothing read after it is handled before it.
            Deliver(message.Update);
            if (message.RevokesAccess)
            {
                _ = AcknowledgeAsync(message.Id);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ClusterFeedMessage.Channel}; LISTEN {ClusterFeedMessage.AcknowledgementChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening from here on: what changed before is in the database, which caches read again from now on.
        state.Listening(true);
        _lossReported = false;
        Deliver(new StatusFeedInterrupted(Listening: true, time.GetUtcNow()));
        LogListening(logger, ClusterFeedMessage.Channel);
        var checkEvery = (int)options.Value.FeedCheckInterval.TotalMilliseconds;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await connection.WaitAsync(checkEvery, stoppingToken))
            {
                // Quiet for a while: make sure the session is still there (a dead one would never deliver anything).
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }

    private void Interrupted()
    {
        if (state.IsListening)
        {
            state.Listening(false);
            Deliver(new StatusFeedInterrupted(Listening: false, time.GetUtcNow()));
        }
    }

    /// <summary>Tells the publisher this instance dropped what the update revoked (on a pooled connection: the listening
    /// one is busy reading).</summary>
    private async Task AcknowledgeAsync(Guid messageId)
    {
        try
        {
            await using var command = database.Pooled.CreateCommand("SELECT pg_notify($1, $2)");
            command.Parameters.Add(new() { Value = ClusterFeedMessage.AcknowledgementChannel });
            command.Parameters.Add(new() { Value = messageId.ToString() });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogAcknowledgementFailed(logger, ex.Message);
        }
    }

    /// <summary>Subscribers do not block (the feed's contract: caches drop entries, pages queue a render), so handing the
    /// update over synchronously keeps the order and drops a revoked access at the earliest moment.</summary>
    private void Deliver(StatusUpdate update) => feed.DeliverAsync(update).GetAwaiter().GetResult();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening to the other Catwalk instances on PostgreSQL channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not acknowledge a revoking update to the instance that sent it ({Reason}); it stops waiting shortly")]
    private static partial void LogAcknowledgementFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that carries the other Catwalk instances' updates ({Reason}); cached routes are dropped and it listens again")]
    private static partial void LogLost(ILogger logger, string reason);
}
