using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The in-process live status feed: the lifecycle and the monitor publish what they wrote to the database;
/// Razor components subscribe and re-render over their circuit. Pages never poll external APIs themselves.
/// </summary>
public sealed partial class DeploymentStatusFeed(ILogger<DeploymentStatusFeed> logger)
{
    private readonly ConcurrentDictionary<Guid, Func<StatusUpdate, Task>> _subscribers = new();

    /// <summary>Subscribes a handler; dispose the result to unsubscribe (components do so when disposed).</summary>
    public IDisposable Subscribe(Func<StatusUpdate, Task> handler)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = handler;
        return new Subscription(this, id);
    }

    /// <summary>Hands the update to every subscriber; one failing subscriber never blocks the others.</summary>
    public async Task PublishAsync(StatusUpdate update)
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

    private sealed class Subscription(DeploymentStatusFeed feed, Guid id) : IDisposable
    {
        public void Dispose() => feed._subscribers.TryRemove(id, out _);
    }
}
