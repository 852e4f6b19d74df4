using System.Diagnostics;
using System.Net;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Catwalk.Web.Mcp;

/// <summary>
/// <c>/api/mcp/{deploymentId}</c>: checks the deployment's token, wakes a stopped deployment, and streams the request
/// to the machine's <c>/mcp</c> and the response back (SSE unbuffered, headers unchanged) with YARP's forwarder.
/// </summary>
internal sealed partial class McpForwardingEndpoint(
    IHttpForwarder forwarder,
    McpDeploymentAccess access,
    DeploymentLifecycle lifecycle,
    DeploymentActivity activity,
    CatwalkMetrics metrics,
    MachineRuntimes runtimes,
    OAuth.OAuthIssuer issuer,
    IOptions<McpForwardingOptions> options,
    ILogger<McpForwardingEndpoint> logger)
{
    public const string Route = "/api/mcp/{deploymentId}";

    private static readonly HttpMessageInvoker Upstream = new(MachineNetworkHandler.Create());

    public async Task HandleAsync(HttpContext context, string deploymentId)
    {
        var settings = options.Value;
        if (!OriginPolicy.IsAllowed(context.Request, settings))
        {
            await JsonRpcError.WriteAsync(context, StatusCodes.Status403Forbidden, JsonRpcError.Forbidden,
                "This Origin is not allowed to call the endpoint. Add it to CATWALK_ALLOWED_ORIGINS.");
            return;
        }

        // Parsed once, for the check, the 401 answer and the check again after a wake.
        var token = McpDeploymentAccess.PresentedToken(context.Request);
        var (outcome, route) = await access.AuthorizeAsync(deploymentId, token, context.RequestAborted);
        if (outcome == McpDeploymentAccess.Outcome.NotFound)
        {
            await JsonRpcError.WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcError.NotFound, "There is no deployment with this id.");
            return;
        }

        if (outcome == McpDeploymentAccess.Outcome.Unauthorized)
        {
            // Where MCP clients discover how to sign in (RFC 9728); the deployment token keeps working as before.
            var metadata = issuer.ResourceMetadataOf(context.Request, Guid.Parse(deploymentId));
            context.Response.Headers.WWWAuthenticate = token is null
                ? $"Bearer realm=\"Catwalk\", resource_metadata=\"{metadata}\", scope=\"{OAuth.OAuthPaths.McpScope}\""
                : $"Bearer realm=\"Catwalk\", error=\"invalid_token\", resource_metadata=\"{metadata}\", scope=\"{OAuth.OAuthPaths.McpScope}\"";
            await JsonRpcError.WriteAsync(context, StatusCodes.Status401Unauthorized, JsonRpcError.Unauthorized,
                "Missing or invalid access token: sign in when your MCP client asks (OAuth), send 'Authorization: Bearer <token>', or add ?token=<token> to the URL.");
            return;
        }

        var deployment = route!;
        if (context.Request.ContentLength > settings.MaxRequestBodyBytes)
        {
            await JsonRpcError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcError.TooLarge,
                $"The request body is larger than {settings.MaxRequestBodyBytes} bytes.");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        }

        var started = Stopwatch.GetTimestamp();
        string? method = context.Request.Headers["Mcp-Method"];
        var tool = DeploymentActivity.ToolOf(method, DecodeHeader(context.Request.Headers["Mcp-Name"]));
        activity.RecordRequest(deployment.Id, method, tool);
        Describe(Activity.Current, deployment.Id, method, tool);
        try
        {
            await ForwardAsync(context, deploymentId, token, deployment, method, tool, settings);
        }
        finally
        {
            metrics.RecordDuration(deployment.Id, method, tool, context.Response.StatusCode, started);
        }
    }

    /// <summary>Tags ASP.NET Core's span for the request (named after the route, per HTTP conventions) with what it did;
    /// never a token, an argument or a URI.</summary>
    private void Describe(Activity? span, Guid deploymentId, string? method, string? tool)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(CatwalkTelemetry.Tags.DeploymentId, metrics.IdText(deploymentId));
        span.SetTag(CatwalkTelemetry.Tags.McpMethod, method);
        span.SetTag(CatwalkTelemetry.Tags.Tool, tool);
    }

    private async Task ForwardAsync(HttpContext context, string deploymentId, string? token, McpRouteRow route, string? method, string? tool, McpForwardingOptions settings)
    {
        McpRouteRow? deployment = route;
        if (deployment.Status is not (DeploymentStatus.Running or DeploymentStatus.Unhealthy))
        {
            // A failed deployment answers at once with its reason and starts nothing; a stopped one is woken.
            var wake = await lifecycle.WakeAsync(deployment.Id, context.RequestAborted);
            if (!wake.IsRunning)
            {
                activity.RecordError(deployment.Id, method, tool);
                context.Response.Headers.RetryAfter = "30";
                await JsonRpcError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcError.Unavailable,
                    $"The deployment {wake.Problem}.");
                return;
            }

            (_, deployment) = await access.AuthorizeAsync(deploymentId, token, context.RequestAborted, fresh: true);
        }

        if (deployment?.MachineId is null)
        {
            await JsonRpcError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcError.Unavailable, "The deployment has no machine yet.");
            return;
        }

        MachineUpstream? upstream;
        try
        {
            upstream = await UpstreamOfAsync(runtimes.For(deployment.RuntimeKind), deployment.MachineId, context.RequestAborted);
        }
        catch (MachineRuntimeException ex)
        {
            activity.RecordError(deployment.Id, method, tool);
            context.Response.Headers.RetryAfter = "30";
            await JsonRpcError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcError.Unavailable,
                $"The deployment's machine cannot be reached right now ({ex.Message}); try again shortly.");
            return;
        }

        if (upstream is null)
        {
            activity.RecordError(deployment.Id, method, tool);
            await JsonRpcError.WriteAsync(context, StatusCodes.Status502BadGateway, JsonRpcError.Unavailable, "The deployment's machine is gone; restart it from Catwalk.");
            return;
        }

        if (upstream.InProcess is { } machine)
        {
            await ServeInProcessAsync(context, deployment.Id, upstream, machine, method, tool);
            return;
        }

        // Exactly "/mcp": the npm mcp-proxy on Fly machines answers 404 to "/mcp/" (the local bridge takes both). A Fly
        // machine's channel adds its current secret on the way.
        var destination = new Uri(upstream.BaseUrl, "mcp").ToString();
        var error = await forwarder.SendAsync(context, destination, upstream.Channel ?? Upstream,
            new ForwarderRequestConfig { ActivityTimeout = settings.StreamIdleTimeout }, McpRequestTransformer.For(upstream));
        if (error != ForwarderError.None)
        {
            await ReportForwardingErrorAsync(context, deployment.Id, error, method, tool);
        }
        else if (context.Response.StatusCode >= 500)
        {
            activity.RecordError(deployment.Id, method, tool);
        }
    }

    /// <summary>The machine's upstream; one this instance does not know, or knows without its secret (a machine another
    /// instance made or restarted), is looked at once first, which teaches the runtime its secret.</summary>
    private static ValueTask<MachineUpstream?> UpstreamOfAsync(IMachineRuntime runtime, string machineId, CancellationToken cancellationToken) =>
        runtime.TryGetUpstream(machineId, out var upstream) && upstream.RequiredHeaders.Count > 0
            ? ValueTask.FromResult<MachineUpstream?>(upstream)
            : InspectedUpstreamAsync(runtime, machineId, cancellationToken);

    private static async ValueTask<MachineUpstream?> InspectedUpstreamAsync(IMachineRuntime runtime, string machineId, CancellationToken cancellationToken) =>
        await runtime.InspectAsync(machineId, cancellationToken) is not null && runtime.TryGetUpstream(machineId, out var upstream) ? upstream : null;

    /// <summary>A local machine answers on the client's own request (<see cref="InProcessForwarding"/>), streaming as it writes.</summary>
    private async Task ServeInProcessAsync(HttpContext context, Guid deploymentId, MachineUpstream upstream, IInProcessMachineEndpoint machine, string? method, string? tool)
    {
        var asSent = InProcessForwarding.Readdress(context.Request, upstream);
        try
        {
            await machine.ServeAsync(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            activity.RecordError(deploymentId, method, tool);
            LogInProcessFailed(logger, deploymentId, exception.GetType().Name, exception.Message);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }

            context.Response.Clear();
            await JsonRpcError.WriteAsync(context, StatusCodes.Status502BadGateway, JsonRpcError.UpstreamFailed,
                "The MCP server's machine did not answer. Catwalk is checking it; try again shortly.");
            return;
        }
        finally
        {
            // The rest of Catwalk's pipeline (logs, the request span) sees the request as the client sent it.
            asSent.Restore(context.Request);
        }

        if (context.Response.StatusCode >= 500)
        {
            activity.RecordError(deploymentId, method, tool);
        }
    }

    private async Task ReportForwardingErrorAsync(HttpContext context, Guid deploymentId, ForwarderError error, string? method, string? tool)
    {
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled)
        {
            return; // The client went away: the upstream request was cancelled with it.
        }

        activity.RecordError(deploymentId, method, tool);
        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        LogForwardingFailed(logger, deploymentId, error, exception?.GetType().Name);
        if (!context.Response.HasStarted)
        {
            if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                await JsonRpcError.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcError.TooLarge, "The request body is too large.");
                return;
            }

            context.Response.Clear();
            await JsonRpcError.WriteAsync(context, StatusCodes.Status502BadGateway, JsonRpcError.UpstreamFailed,
                "The MCP server's machine did not answer. Catwalk is checking it; try again shortly.");
        }
    }

    /// <summary>2026-07-28 clients may base64-encode <c>Mcp-Name</c> as <c>=?base64?...?=</c>.</summary>
    private static string? DecodeHeader(string? value)
    {
        if (value is null || !value.StartsWith("=?base64?", StringComparison.Ordinal) || !value.EndsWith("?=", StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value[9..^2]));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}'s in-process machine failed a request: {ExceptionType}: {Reason}")]
    private static partial void LogInProcessFailed(ILogger logger, Guid deploymentId, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to deployment {DeploymentId} failed: {Error} ({ExceptionType})")]
    private static partial void LogForwardingFailed(ILogger logger, Guid deploymentId, ForwarderError error, string? exceptionType);
}
