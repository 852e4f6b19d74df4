using Catwalk.Web.Hosting;
using Microsoft.AspNetCore.Components;

namespace Catwalk.Web.Components.Shared;

/// <summary>A deployment's MCP endpoint as clients reach it: under the app's public address (see
/// <see cref="PublicAddress"/>), else the address the browser used for this app.</summary>
public sealed class EndpointUrls(PublicAddress publicAddress, NavigationManager navigation)
{
    public Uri For(Guid deploymentId) => new(publicAddress.BaseFor(navigation.BaseUri), $"api/mcp/{deploymentId}");
}
