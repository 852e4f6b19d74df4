using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace Catwalk.Core.Machines.Local;

/// <summary>Notifications from the upstream server, routed to the sessions they belong to.</summary>
internal sealed partial class McpProxy
{
    /// <summary>Registered on each run's client before it connects, so nothing is missed.</summary>
    public IEnumerable<KeyValuePair<string, Func<JsonRpcNotification, CancellationToken, ValueTask>>> UpstreamNotificationHandlers =>
    [
        // notifications/message: logging is deprecated by 2026-07-28 (hence no SDK constant without a warning) but in use.
        new("notifications/message", OnLogMessage),
        new(NotificationMethods.ResourceUpdatedNotification, OnResourceUpdated),
        new(NotificationMethods.ToolListChangedNotification, OnListChanged),
        new(NotificationMethods.PromptListChangedNotification, OnListChanged),
        new(NotificationMethods.ResourceListChangedNotification, OnListChanged),
    ];

    /// <summary>
    /// Sees every upstream message in wire order (<see cref="ReadOrderTransport"/>): progress is queued for its
    /// session before the response that follows it is handled.
    /// </summary>
    public void ObserveUpstreamMessage(JsonRpcMessage message)
    {
        if (message is JsonRpcNotification { Method: NotificationMethods.ProgressNotification, Params: JsonObject parameters }
            && parameters["progressToken"] is JsonValue token
            && token.GetValueKind() == JsonValueKind.String
            && _progress.TryGetValue(token.GetValue<string>(), out var route))
        {
            route.Relay(parameters);
        }
    }

    private ValueTask OnListChanged(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        FanOutListChanged(notification.Method, notification.Params);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnResourceUpdated(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Params?["uri"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var uri = value.GetValue<string>();
            foreach (var session in _sessions.Values)
            {
                if (session.IsSubscribedTo(uri))
                {
                    Deliver(token => session.Server.SendMessageAsync(Copy(notification), token));
                }
            }

            foreach (var listener in _listeners.Keys.Where(listener => listener.WantsUpdatesOf(uri)))
            {
                Deliver(token => listener.SendAsync(notification.Method, notification.Params, token));
            }
        }

        return ValueTask.CompletedTask;
    }

    private ValueTask OnLogMessage(JsonRpcNotification notification, CancellationToken cancellationToken)
    {
        var rank = notification.Params?["level"] is JsonValue level && level.GetValueKind() == JsonValueKind.String
            ? RankOf(level.GetValue<string>())
            : null;
        foreach (var (id, session) in _sessions)
        {
            // Only sessions that asked for logging (logging/setLevel) get log messages, at or above their level, and
            // only while they are open: a server's log can say things about another session's requests.
            if (session.LogLevel is { } wanted && (rank is null || rank >= wanted))
            {
                Deliver(token => _sessions.TryGetValue(id, out var open) && ReferenceEquals(open, session)
                    ? session.Server.SendMessageAsync(Copy(notification), token)
                    : Task.CompletedTask);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void FanOutListChanged(string method, JsonNode? parameters)
    {
        var notification = new JsonRpcNotification { Method = method, Params = parameters };
        foreach (var session in _sessions.Values)
        {
            Deliver(token => session.Server.SendMessageAsync(Copy(notification), token));
        }

        foreach (var listener in _listeners.Keys.Where(listener => listener.Wants(method)))
        {
            Deliver(token => listener.SendAsync(method, parameters, token));
        }
    }

    /// <summary>
    /// Sends without holding up the upstream's message loop: a slow or gone client must not delay
    /// anyone else's responses.
    /// </summary>
    private void Deliver(Func<CancellationToken, Task> send) => _ = DeliverAsync(send);

    private async Task DeliverAsync(Func<CancellationToken, Task> send)
    {
        try
        {
            using var timeout = new CancellationTokenSource(FanOutTimeout);
            await send(timeout.Token);
        }
        catch (Exception exception)
        {
            LogNotificationDropped(logger, exception);
        }
    }

    // Each recipient gets its own copy: sending may annotate the message (trace context in _meta).
    private static JsonRpcNotification Copy(JsonRpcNotification notification) =>
        new() { Method = notification.Method, Params = notification.Params?.DeepClone() };

    [LoggerMessage(Level = LogLevel.Debug, Message = "A notification could not be delivered to a client session.")]
    private static partial void LogNotificationDropped(ILogger logger, Exception exception);
}
