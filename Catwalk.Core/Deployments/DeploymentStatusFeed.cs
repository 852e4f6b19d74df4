using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The live status feed: the lifecycle and the monitor publish what they wrote to the database; Razor components,
/// the route cache and the forwarder subscribe. What this instance publishes also goes to every other instance on the
/// same database through the <see cref="IStatusFeedRelay"/> (PostgreSQL <c>NOTIFY</c>), whose listener hands it to
/// this instance's subscribers with <see cref="DeliverAsync"/>. Pages never poll external APIs themselves.
/// </summary>
public sealed partial class DeploymentStatusFeed(ILogger<DeploymentStatusFeed> logger, IStatusFeedRelay? relay = null)
{
    private readonly ConcurrentDictionary<Guid, Func<StatusUpdate, Task>> _subscribers = new();

    /// <summary>Subscribes a handler; dispose the result to unsubscribe (components do so when disposed).</summary>
    public IDisposable Subscribe(Func<StatusUpdate, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = handler;
        return new Subscription(this, id);
    }

    /// <summary>Hands the update to every subscriber here, then to the other instances. A relay that fails (the
    /// database is unreachable) is logged: their listeners lost the same connection and drop what they cached.</summary>
    public async Task PublishAsync(StatusUpdate update)
    {
        await DeliverAsync(update);
        if (relay is null || update is StatusFeedInterrupted)
        {
            return;
        }

        try
        {
            await relay.RelayAsync(update, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogRelayFailed(logger, ex, update.GetType().Name);
        }
    }

    /// <summary>Hands the update to this instance's subscribers only (what another instance published arrives here);
    /// one failing subscriber never blocks the others.</summary>
    public async Task DeliverAsync(StatusUpdate update)
    {
        foreach (var (_, handler) in _subscribers)
        {
            try
            {
                await handler(update);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(logger, ex, update.GetType().Name);
            }
        }
    }

    public int SubscriberCount => _subscribers.Count;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A status feed subscriber failed handling {UpdateType}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string updateType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{UpdateType} could not be sent to the other Catwalk instances")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string updateType);

    private sealed class Subscription(DeploymentStatusFeed feed, Guid id) : IDisposable
    {
        public void Dispose() => feed._subscribers.TryRemove(id, out _);
    }
}
