using Catwalk.Web.Mcp;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Api;

/// <summary>Where MCP clients reach a deployment: <c>PUBLIC_URL</c> when set, else the address the caller used.</summary>
internal sealed class DeploymentEndpointUrls(IOptions<McpForwardingOptions> options)
{
    public Uri For(HttpRequest request, Guid deploymentId)
    {
        var root = options.Value.PublicUrl ?? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}");
        return new Uri(root, McpForwardingEndpoint.Route.Replace("{deploymentId}", deploymentId.ToString(), StringComparison.Ordinal).TrimStart('/'));
    }
}
