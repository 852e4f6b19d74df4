using System.Globalization;

namespace Catwalk.Web.Mcp;

internal static class McpForwardingExtensions
{
    public static IServiceCollection AddCatwalkMcpForwarding(this IServiceCollection services, IConfiguration configuration)
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
        services.AddOptions<McpForwardingOptions>().Configure(o =>
        {
            if (long.TryParse(configuration["CATWALK_MCP_MAX_BODY_BYTES"], CultureInfo.InvariantCulture, out var max) && max > 0)
            {
                o.MaxRequestBodyBytes = max;
            }

            if (double.TryParse(configuration["CATWALK_MCP_STREAM_IDLE_TIMEOUT"], CultureInfo.InvariantCulture, out var idle) && idle > 0)
            {
                o.StreamIdleTimeout = TimeSpan.FromSeconds(idle);
            }

            if (double.TryParse(configuration["CATWALK_MCP_ROUTE_CACHE_SECONDS"], CultureInfo.InvariantCulture, out var cacheSeconds) && cacheSeconds >= 0)
            {
                o.RouteCacheLifetime = TimeSpan.FromSeconds(cacheSeconds);
            }

            o.AllowedOrigins = (configuration["CATWALK_ALLOWED_ORIGINS"] ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => v.TrimEnd('/'))
                .ToArray();
            o.PublicUrl = Uri.TryCreate(configuration["PUBLIC_URL"], UriKind.Absolute, out var publicUrl) ? publicUrl : null;
        });
        return services;
    }

    public static IEndpointRouteBuilder MapCatwalkMcpForwarding(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(McpForwardingEndpoint.Route, ["POST", "GET", "DELETE"],
                (HttpContext context, string deploymentId, McpForwardingEndpoint endpoint) => endpoint.HandleAsync(context, deploymentId))
            .RequireCors(McpCorsPolicy.Name)
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return endpoints;
    }
}
