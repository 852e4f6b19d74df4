using System.Threading.Channels;
using Catwalk.Core.Deployments;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Catwalk.Core.Cluster;

/// <summary>
/// Listens on <see cref="ClusterFeedMessage.Channel"/> over a dedicated connection and hands the other instances'
/// updates to this instance's subscribers (pages, the route cache, the forwarder), in the order they were sent. While it
/// is not listening (at start, after losing the connection) it says so with <see cref="StatusFeedInterrupted"/>, so
/// whatever was cached from the database is dropped, and says so again once it listens anew.
/// </summary>
public sealed partial class ClusterFeedListener(
    ClusterDatabase database,
    DeploymentStatusFeed feed,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterFeedListener> logger) : BackgroundService
{
    private readonly Channel<StatusUpdate> _inbox = Channel.CreateUnbounded<StatusUpdate>(new() { SingleReader = true });
    private volatile bool _listening;
    private bool _lossReported;

    /// <summary>True while updates from the other instances arrive; caches of database rows are only safe then.</summary>
    public bool IsListening => _listening;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delivery = DeliverAsync(stoppingToken);
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

        _inbox.Writer.TryComplete();
        await delivery;
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.OpenDedicatedAsync(stoppingToken);
        var self = options.Value.InstanceId;
        connection.Notification += (_, e) =>
        {
            if (ClusterFeedMessage.FromPayload(e.Payload) is { } message && message.Origin != self)
            {
                _inbox.Writer.TryWrite(message.Update);
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ClusterFeedMessage.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Listening from here on: what changed before is in the database, which caches read again from now on.
        _listening = true;
        _lossReported = false;
        _inbox.Writer.TryWrite(new StatusFeedInterrupted(Listening: true, time.GetUtcNow()));
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
        if (_listening)
        {
            _listening = false;
            _inbox.Writer.TryWrite(new StatusFeedInterrupted(Listening: false, time.GetUtcNow()));
        }
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await foreach (var update in _inbox.Reader.ReadAllAsync(stoppingToken))
            {
                await feed.DeliverAsync(update);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Listening to the other Catwalk instances on PostgreSQL channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection that carries the other Catwalk instances' updates ({Reason}); cached routes are dropped and it listens again")]
    private static partial void LogLost(ILogger logger, string reason);
}
