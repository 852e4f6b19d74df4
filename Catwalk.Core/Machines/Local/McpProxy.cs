using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The bridge's MCP server side: every client session gets an SDK <see cref="McpServer"/> whose handlers
/// forward to the machine's one upstream stdio server, offering exactly what that server offers (tools,
/// prompts, resources with templates and subscriptions, completions, logging). Progress goes back to the
/// requesting session only; list-changed, resource-updated and log notifications fan out to the sessions
/// (and 2026-07-28 listen streams) that want them.
/// </summary>
internal sealed partial class McpProxy(UpstreamGate upstream, ILogger logger) : IDisposable
{
    private const string ReservedMetaPrefix = "io.modelcontextprotocol/";
    private static readonly TimeSpan FanOutTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ProxySession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ProxyListener, byte> _listeners = new();
    private readonly ConcurrentDictionary<string, ProgressRoute> _progress = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, McpServer> _inFlight = new();

    // Guards what the proxy keeps for the upstream across restarts: resource subscriptions and the log level.
    private readonly SemaphoreSlim _upstreamState = new(1, 1);
    private readonly Dictionary<string, int> _upstreamSubscriptions = new(StringComparer.Ordinal);
    private long _nextToken;

    public int SessionCount => _sessions.Count;

    public bool HasSession(string sessionId) => _sessions.ContainsKey(sessionId);

    /// <summary>Per session (per request for 2026-07-28 clients): mirror what the upstream server offers.</summary>
    public void ConfigureSession(McpServerOptions options)
    {
        var offered = upstream.Capabilities ?? new ServerCapabilities();
        options.ServerInfo = upstream.ServerInfo is { } info ? new Implementation { Name = info.Name, Title = info.Title, Version = info.Version } : options.ServerInfo;
        options.ServerInstructions = upstream.Instructions;
        options.Capabilities = new ServerCapabilities
        {
            Tools = offered.Tools is { } tools ? new ToolsCapability { ListChanged = tools.ListChanged } : null,
            Prompts = offered.Prompts is { } prompts ? new PromptsCapability { ListChanged = prompts.ListChanged } : null,
            Resources = offered.Resources is { } resources ? new ResourcesCapability { ListChanged = resources.ListChanged, Subscribe = resources.Subscribe } : null,
            Completions = offered.Completions is not null ? new CompletionsCapability() : null,
        };

        var handlers = options.Handlers;
        if (offered.Tools is not null)
        {
            handlers.ListToolsHandler = ForwardAsync<ListToolsRequestParams, ListToolsResult>;
            handlers.CallToolHandler = ForwardAsync<CallToolRequestParams, CallToolResult>;
        }

        if (offered.Prompts is not null)
        {
            handlers.ListPromptsHandler = ForwardAsync<ListPromptsRequestParams, ListPromptsResult>;
            handlers.GetPromptHandler = ForwardAsync<GetPromptRequestParams, GetPromptResult>;
        }

        if (offered.Resources is not null)
        {
            handlers.ListResourcesHandler = ForwardAsync<ListResourcesRequestParams, ListResourcesResult>;
            handlers.ListResourceTemplatesHandler = ForwardAsync<ListResourceTemplatesRequestParams, ListResourceTemplatesResult>;
            handlers.ReadResourceHandler = ForwardAsync<ReadResourceRequestParams, ReadResourceResult>;
            if (offered.Resources.Subscribe == true)
            {
                handlers.SubscribeToResourcesHandler = SubscribeAsync;
                handlers.UnsubscribeFromResourcesHandler = UnsubscribeAsync;
            }
        }

        if (offered.Completions is not null)
        {
            handlers.CompleteHandler = ForwardAsync<CompleteRequestParams, CompleteResult>;
        }

        ConfigureLogging(handlers);
        handlers.SubscriptionsListenHandler = ListenAsync;
    }

    /// <summary>Runs one session; sessions with an id (initialize-handshake clients) are tracked until they end.</summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(server.SessionId))
        {
            await server.RunAsync(cancellationToken);
            return;
        }

        var session = new ProxySession(server);
        _sessions[server.SessionId] = session;
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            _sessions.TryRemove(server.SessionId, out _);
            await ForgetSessionAsync(session);
        }
    }

    /// <summary>
    /// Called with each new run's client before it is handed to requests: re-establishes the resource
    /// subscriptions and log level sessions asked for, then opens the gate; on a restart, tells sessions
    /// their lists may have changed.
    /// </summary>
    public async Task AttachAsync(McpClient client, bool restarted, CancellationToken cancellationToken)
    {
        await _upstreamState.WaitAsync(cancellationToken);
        try
        {
            // Best effort: a server that refuses one of them is still a running server.
            foreach (var uri in _upstreamSubscriptions.Keys)
            {
                try
                {
                    await SendUpstreamAsync(client, RequestMethods.ResourcesSubscribe, new JsonObject { ["uri"] = uri }, cancellationToken);
                }
                catch (McpProtocolException exception)
                {
                    LogUpstreamCleanupFailed(logger, exception);
                }
            }

            _appliedLogLevel = null;
            try
            {
                await ApplyLogLevelAsync(client, cancellationToken);
            }
            catch (McpProtocolException exception)
            {
                LogUpstreamCleanupFailed(logger, exception);
            }

            upstream.Open(client);
        }
        finally
        {
            _upstreamState.Release();
        }

        if (restarted)
        {
            var offered = client.ServerCapabilities;
            foreach (var (method, changes) in new[]
                     {
                         (NotificationMethods.ToolListChangedNotification, offered.Tools?.ListChanged == true),
                         (NotificationMethods.PromptListChangedNotification, offered.Prompts?.ListChanged == true),
                         (NotificationMethods.ResourceListChangedNotification, offered.Resources?.ListChanged == true),
                     })
            {
                if (changes)
                {
                    FanOutListChanged(method, null);
                }
            }
        }
    }

    private async ValueTask<TResult> ForwardAsync<TParams, TResult>(RequestContext<TParams> request, CancellationToken cancellationToken)
    {
        var client = await upstream.WaitAsync(cancellationToken);
        var parameters = request.JsonRpcRequest.Params?.DeepClone() as JsonObject;
        var ticket = Interlocked.Increment(ref _nextToken);
        string? upstreamToken = null;
        ProgressRoute? route = null;
        if (parameters?["_meta"] is JsonObject meta)
        {
            // Per-request protocol metadata (2026-07-28) describes this hop, not the upstream session.
            foreach (var key in meta.Select(property => property.Key).Where(key => key.StartsWith(ReservedMetaPrefix, StringComparison.Ordinal)).ToList())
            {
                meta.Remove(key);
            }

            if (meta["progressToken"] is { } clientToken)
            {
                upstreamToken = $"catwalk-{ticket}";
                route = new ProgressRoute(request.Server, clientToken.DeepClone(), logger);
                _progress[upstreamToken] = route;
                meta["progressToken"] = upstreamToken;
            }

            if (meta.Count == 0)
            {
                parameters.Remove("_meta");
            }
        }

        _inFlight[ticket] = request.Server;
        try
        {
            var response = await client.SendRequestAsync(new JsonRpcRequest { Method = request.JsonRpcRequest.Method, Params = parameters }, cancellationToken);
            if (route is not null)
            {
                await route.Relayed.WaitAsync(cancellationToken);
            }

            return response.Result.Deserialize<TResult>(McpJsonUtilities.DefaultOptions)
                ?? throw new McpProtocolException($"The MCP server answered {request.JsonRpcRequest.Method} with an empty result.", McpErrorCode.InternalError);
        }
        catch (JsonException exception)
        {
            throw new McpProtocolException($"The MCP server's answer to {request.JsonRpcRequest.Method} is not a valid result: {exception.Message}", McpErrorCode.InternalError);
        }
        catch (Exception exception) when (exception is not McpProtocolException and not OperationCanceledException)
        {
            LogUpstreamRequestFailed(logger, request.JsonRpcRequest.Method, exception);
            throw new McpProtocolException($"The MCP server stopped before answering {request.JsonRpcRequest.Method}; it is being restarted.", McpErrorCode.InternalError);
        }
        finally
        {
            _inFlight.TryRemove(ticket, out _);
            if (upstreamToken is not null)
            {
                _progress.TryRemove(upstreamToken, out _);
            }
        }
    }

    public void Dispose() => _upstreamState.Dispose();

    private static async Task SendUpstreamAsync(McpClient client, string method, JsonNode? parameters, CancellationToken cancellationToken) =>
        await client.SendRequestAsync(new JsonRpcRequest { Method = method, Params = parameters }, cancellationToken);

    /// <summary>The session (initialize-handshake clients) a request belongs to.</summary>
    private ProxySession? SessionOf(McpServer server) =>
        server.SessionId is { Length: > 0 } id && _sessions.TryGetValue(id, out var session) ? session : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding {Method} to the MCP server failed.")]
    private static partial void LogUpstreamRequestFailed(ILogger logger, string method, Exception exception);
}
