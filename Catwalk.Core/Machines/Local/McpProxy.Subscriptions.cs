using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Resource subscriptions: the upstream server is subscribed to a URI once, while at least one session or
/// listen stream wants it, and again after every restart.
/// </summary>
internal sealed partial class McpProxy
{
    private async ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = request.Params?.Uri ?? throw new McpProtocolException("resources/subscribe needs a uri.", McpErrorCode.InvalidParams);
        var session = SessionOf(request.Server);
        await _upstreamState.WaitAsync(cancellationToken);
        try
        {
            if (session is null || session.Subscribe(uri))
            {
                await AcquireSubscriptionAsync(uri, cancellationToken);
            }
        }
        catch
        {
            session?.Unsubscribe(uri);
            throw;
        }
        finally
        {
            _upstreamState.Release();
        }

        return new EmptyResult();
    }

    private async ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> request, CancellationToken cancellationToken)
    {
        var uri = request.Params?.Uri ?? throw new McpProtocolException("resources/unsubscribe needs a uri.", McpErrorCode.InvalidParams);
        var session = SessionOf(request.Server);
        await _upstreamState.WaitAsync(cancellationToken);
        try
        {
            if (session?.Unsubscribe(uri) == true)
            {
                await ReleaseSubscriptionAsync(uri);
            }
        }
        finally
        {
            _upstreamState.Release();
        }

        return new EmptyResult();
    }

    /// <summary>
    /// <c>subscriptions/listen</c> (2026-07-28): acknowledge what the upstream server can deliver, then hold
    /// the request's stream open and relay matching notifications on it until the client closes it.
    /// </summary>
    private async ValueTask<EmptyResult> ListenAsync(RequestContext<SubscriptionsListenRequestParams> request, CancellationToken cancellationToken)
    {
        var offered = upstream.Capabilities;
        var asked = request.Params?.Notifications ?? new SubscriptionsListenNotifications();
        var granted = new SubscriptionsListenNotifications
        {
            ToolsListChanged = asked.ToolsListChanged == true && offered?.Tools?.ListChanged == true ? true : null,
            PromptsListChanged = asked.PromptsListChanged == true && offered?.Prompts?.ListChanged == true ? true : null,
            ResourcesListChanged = asked.ResourcesListChanged == true && offered?.Resources?.ListChanged == true ? true : null,
            ResourceSubscriptions = asked.ResourceSubscriptions is { Count: > 0 } uris && offered?.Resources?.Subscribe == true
                ? uris.Distinct(StringComparer.Ordinal).ToList()
                : null,
        };
        var subscriptionId = request.JsonRpcRequest.Id.Id switch
        {
            string text => JsonValue.Create(text),
            long number => (JsonNode)JsonValue.Create(number),
            _ => throw new McpProtocolException("subscriptions/listen needs a request id.", McpErrorCode.InvalidRequest),
        };
        var listener = new ProxyListener(request.Server, subscriptionId, granted);

        var acquired = new List<string>();
        await _upstreamState.WaitAsync(cancellationToken);
        try
        {
            foreach (var uri in granted.ResourceSubscriptions ?? [])
            {
                await AcquireSubscriptionAsync(uri, cancellationToken);
                acquired.Add(uri);
            }
        }
        finally
        {
            _upstreamState.Release();
        }

        try
        {
            _listeners[listener] = 0;
            await listener.SendAsync(
                NotificationMethods.SubscriptionsAcknowledgedNotification,
                JsonSerializer.SerializeToNode(new SubscriptionsAcknowledgedNotificationParams { Notifications = granted }, McpJsonUtilities.DefaultOptions),
                cancellationToken);
            // Held open until the client closes the stream (which cancels this request).
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new EmptyResult();
        }
        finally
        {
            _listeners.TryRemove(listener, out _);
            await _upstreamState.WaitAsync(CancellationToken.None);
            try
            {
                foreach (var uri in acquired)
                {
                    await ReleaseSubscriptionAsync(uri);
                }
            }
            finally
            {
                _upstreamState.Release();
            }
        }
    }

    /// <summary>A session ended: drop its subscriptions and its say in the log level.</summary>
    private async Task ForgetSessionAsync(ProxySession session)
    {
        try
        {
            await _upstreamState.WaitAsync(CancellationToken.None);
            try
            {
                foreach (var uri in session.UnsubscribeAll())
                {
                    await ReleaseSubscriptionAsync(uri);
                }

                session.LogLevel = null;
                if (upstream.Current is { } client)
                {
                    using var timeout = new CancellationTokenSource(FanOutTimeout);
                    await ApplyLogLevelAsync(client, timeout.Token);
                }
            }
            finally
            {
                _upstreamState.Release();
            }
        }
        catch (Exception exception)
        {
            // Includes the machine being destroyed meanwhile: nothing is left to clean up then.
            LogUpstreamCleanupFailed(logger, exception);
        }
    }

    // Callers hold _upstreamState.
    private async Task AcquireSubscriptionAsync(string uri, CancellationToken cancellationToken)
    {
        _upstreamSubscriptions.TryGetValue(uri, out var count);
        if (count == 0 && upstream.Current is { } client)
        {
            // Not ready: the subscription is made when the server (re)starts, in AttachAsync.
            await SendUpstreamAsync(client, RequestMethods.ResourcesSubscribe, new JsonObject { ["uri"] = uri }, cancellationToken);
        }

        _upstreamSubscriptions[uri] = count + 1;
    }

    // Callers hold _upstreamState.
    private async Task ReleaseSubscriptionAsync(string uri)
    {
        if (!_upstreamSubscriptions.TryGetValue(uri, out var count))
        {
            return;
        }

        if (count > 1)
        {
            _upstreamSubscriptions[uri] = count - 1;
            return;
        }

        _upstreamSubscriptions.Remove(uri);
        if (upstream.Current is { } client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(FanOutTimeout);
                await SendUpstreamAsync(client, RequestMethods.ResourcesUnsubscribe, new JsonObject { ["uri"] = uri }, timeout.Token);
            }
            catch (Exception exception)
            {
                // At worst the server keeps sending updates nobody listens to.
                LogUpstreamCleanupFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Setting or releasing a subscription or the log level on the MCP server failed.")]
    private static partial void LogUpstreamCleanupFailed(ILogger logger, Exception exception);
}
