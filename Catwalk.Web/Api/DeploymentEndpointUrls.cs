using Catwalk.Web.Hosting;
using Catwalk.Web.Mcp;

namespace Catwalk.Web.Api;

/// <summary>Where MCP clients reach a deployment: under the app's public address (see <see cref="PublicAddress"/>).</summary>
internal sealed class DeploymentEndpointUrls(PublicAddress publicAddress)
{
    public Uri For(HttpRequest request, Guid deploymentId) =>
        new(publicAddress.BaseFor($"{request.Scheme}://{request.Host}{request.PathBase}/"),
            McpForwardingEndpoint.Route.Replace("{deploymentId}", deploymentId.ToString(), StringComparison.Ordinal).TrimStart('/'));
}
