using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// A machine's upstream base URL: a small Kestrel app on 127.0.0.1 (a port of its own, kept from provisioning
/// until the machine is destroyed) serving <c>/mcp</c> through the MCP SDK's Streamable HTTP transport and
/// <c>/status</c> (200 once the stdio server answered initialize, 503 before). <c>/mcp</c> answers 401 without the
/// machine's secret (<see cref="MachineSecret"/>); <c>/status</c> stays open for health checks.
/// </summary>
internal sealed class McpBridge : IAsyncDisposable
{
    private readonly WebApplication _app;

    private McpBridge(WebApplication app, Uri baseUrl, IInProcessMachineEndpoint inProcess)
    {
        _app = app;
        BaseUrl = baseUrl;
        InProcess = inProcess;
    }

    public Uri BaseUrl { get; }

    /// <summary>The same endpoints as <see cref="BaseUrl"/>, served on the forwarder's own request (no network).</summary>
    public IInProcessMachineEndpoint InProcess { get; }

    public static async Task<McpBridge> StartAsync(McpProxy proxy, UpstreamGate upstream, string secret, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        // An empty builder: none of the host's configuration, environment or appsettings leaks in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Catwalk.LocalMcpBridge" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<ILoggerFactory>(new BridgeLoggerFactory(loggerFactory));
        builder.Services.AddLogging();
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var mcp = builder.Services.AddMcpServer();
        builder.Services.AddDistributedMemoryCache();
#pragma warning disable MCP9006 // Resumability belongs to the session-based revisions (2025-03-26 to 2025-11-25) the bridge serves.
        // SSE events get ids and are kept a while, so a client whose stream broke resumes it (GET with Last-Event-ID).
        mcp.WithDistributedCacheEventStreamStore(store =>
        {
            store.EventSlidingExpiration = TimeSpan.FromMinutes(5);
            store.EventAbsoluteExpiration = TimeSpan.FromMinutes(30);
        });
#pragma warning restore MCP9006
        mcp.WithHttpTransport(transport =>
        {
            // Sessions (Mcp-Session-Id, GET stream, DELETE) for initialize-handshake clients, 2025-03-26 to
            // 2025-11-25; clients of the session-less 2026-07-28 revision are served per request.
            transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
            transport.ConfigureSessionOptions = (_, options, _) =>
            {
                proxy.ConfigureSession(options);
                return Task.CompletedTask;
            };
#pragma warning disable MCPEXP002 // The only hook that sees a session start and end: the proxy tracks sessions for fan-out.
            transport.RunSessionHandler = proxy.RunSessionAsync;
#pragma warning restore MCPEXP002
        });

        var app = builder.Build();
        app.Use(RejectForeignHostsAsync);
        app.Use(async (context, next) =>
        {
            // Every server shares the host's loopback: only the forwarder, which holds this machine's secret, may use /mcp.
            if (context.Request.Path.StartsWithSegments("/mcp") && !MachineSecret.Matches(secret, context.Request.Headers[MachineSecret.HeaderName].ToString()))
            {
                await JsonRpcErrorAsync(context, StatusCodes.Status401Unauthorized, -32001, "This machine answers only Catwalk's forwarder: call the deployment's endpoint URL.");
                return;
            }

            await next(context);
        });
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/mcp"))
            {
                await next(context);
            }
            else if (HttpMethods.IsPost(context.Request.Method) && !upstream.IsReady && !await upstream.WaitUntilReadyAsync(context.RequestAborted))
            {
                // A client's first requests may reach a server that is still starting (or restarting): they wait a bit, then get
                // 503, or 502 when the server process crashed (the upstream failed, as a gateway would say).
                context.Response.Headers.RetryAfter = "5";
                if (upstream.CrashReason is { } crash)
                {
                    await JsonRpcErrorAsync(context, StatusCodes.Status502BadGateway, -32603, $"The MCP server process stopped unexpectedly and is being restarted: {crash}");
                }
                else
                {
                    await JsonRpcErrorAsync(context, StatusCodes.Status503ServiceUnavailable, -32603, "The MCP server is not running yet (starting, restarting or stopped).");
                }
            }
            else if (HttpMethods.IsDelete(context.Request.Method) && IsUnknownSession(context, proxy))
            {
                // The SDK answers DELETE of an unknown session with 200; the transport says 404 (start a new session).
                await JsonRpcErrorAsync(context, StatusCodes.Status404NotFound, -32001, "Session not found");
            }
            else
            {
                await next(context);
            }
        });
        app.MapGet("/status", () => upstream.IsReady
            ? TypedResults.Json(new BridgeStatus("ready", upstream.ServerInfo?.Name, upstream.ServerInfo?.Version, proxy.SessionCount))
            : TypedResults.Json(new BridgeStatus("not-ready", upstream.ServerInfo?.Name, upstream.ServerInfo?.Version, proxy.SessionCount), statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapMcp("/mcp");
        // Routing and endpoints placed explicitly, so the pipeline built here is the whole application Kestrel runs too.
        app.UseRouting();
        app.UseEndpoints(_ => { });
        var inProcess = new InProcessBridge(((IApplicationBuilder)app).Build(), app.Services.GetRequiredService<IServiceScopeFactory>());

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new McpBridge(app, new Uri(address.TrimEnd('/') + "/"), inProcess);
    }

    /// <summary>
    /// DNS-rebinding defence: the bridge answers only requests addressed to the loopback interface, so a web
    /// page that rebinds its own name to 127.0.0.1 cannot reach it.
    /// </summary>
    private static async Task RejectForeignHostsAsync(HttpContext context, RequestDelegate next)
    {
        var host = context.Request.Host.Host;
        if (host is "127.0.0.1" or "localhost" or "[::1]" or "::1")
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    private static bool IsUnknownSession(HttpContext context, McpProxy proxy)
    {
        var sessionId = context.Request.Headers["Mcp-Session-Id"].ToString();
        var version = context.Request.Headers["MCP-Protocol-Version"].ToString();
        // 2026-07-28 and later have no sessions; the SDK answers those DELETEs with 405 itself.
        return sessionId.Length > 0 && string.CompareOrdinal(version, "2026-07-28") < 0 && !proxy.HasSession(sessionId);
    }

    private static Task JsonRpcErrorAsync(HttpContext context, int statusCode, int code, string message) =>
        TypedResults.Json(new { jsonrpc = "2.0", id = (object?)null, error = new { code, message } }, statusCode: statusCode).ExecuteAsync(context);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private sealed record BridgeStatus(string Status, string? Server, string? Version, int Sessions);
}
