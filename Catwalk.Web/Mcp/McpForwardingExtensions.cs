namespace Catwalk.Web.Mcp;

internal static class McpForwardingExtensions
{
    public static IServiceCollection AddCatwalkMcpForwarding(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<McpDeploymentAccess>();
        services.AddSingleton(sp => new McpRouteCache(
            sp.GetRequiredService<Catwalk.Core.Deployments.DeploymentStatusFeed>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpForwardingOptions>>().Value.RouteCacheLifetime));
        services.AddSingleton<McpForwardingEndpoint>();
        services.AddCors();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>, McpCorsPolicy>();
        services.AddOptions<McpForwardingOptions>().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<McpForwardingOptions>, McpForwardingOptionsSetup>();
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
