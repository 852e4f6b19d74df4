using Microsoft.Net.Http.Headers;

namespace Catwalk.Web.Mcp;

internal static class McpForwardingExtensions
{
    public static IServiceCollection AddCatwalkMcpForwarding(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<McpDeploymentAccess>();
        services.AddSingleton(sp => new McpRouteCache(
            sp.GetRequiredService<Catwalk.Core.Deployments.DeploymentStatusFeed>(),
            sp.GetRequiredService<Catwalk.Core.Cluster.ClusterFeedState>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpForwardingOptions>>().Value.RouteCacheLifetime));
        services.AddSingleton<McpForwardingEndpoint>();
        services.AddCors();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>, McpCorsPolicy>();
        services.AddOptions<McpForwardingOptions>().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<McpForwardingOptions>, McpForwardingOptionsSetup>();
        return services;
    }

    /// <summary>
    /// The forwarding endpoint short-circuits routing: a forwarded call runs only what it needs (the host filter and
    /// security headers before routing, then CORS and the endpoint), not the pages' and API's middleware (sign-in cookies,
    /// OAuth server, antiforgery, status pages, rate limits); its own token check is its authorisation.
    /// </summary>
    public static IEndpointRouteBuilder MapCatwalkMcpForwarding(this IEndpointRouteBuilder endpoints)
    {
        // CORS only for requests that carry an Origin (browsers): other MCP clients skip its per-request service scope, and
        // the endpoint (a singleton) is taken from the root provider once, on the first call, not looked up per call.
        var services = endpoints.ServiceProvider;
        McpForwardingEndpoint? forwarding = null;
        var pipeline = endpoints.CreateApplicationBuilder()
            .UseWhen(context => context.Request.Headers.ContainsKey(HeaderNames.Origin), cors => cors.UseCors(McpCorsPolicy.Name));
        pipeline.Run(context => HttpMethods.IsOptions(context.Request.Method)
                ? MethodNotAllowedAsync(context)
                : (forwarding ??= services.GetRequiredService<McpForwardingEndpoint>()).HandleAsync(context, (string)context.GetRouteValue("deploymentId")!));
        endpoints.MapMethods(McpForwardingEndpoint.Route, ["POST", "GET", "DELETE", "OPTIONS"], pipeline.Build())
            .ShortCircuit()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return endpoints;
    }

    // CORS answered a preflight already; any other OPTIONS is not an MCP method.
    private static Task MethodNotAllowedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = "GET, POST, DELETE";
        return Task.CompletedTask;
    }
}
