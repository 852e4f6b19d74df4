using Catwalk.Web.Mcp;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.OAuth;

/// <summary>
/// Catwalk's issuer and its endpoints' resource URLs: <c>PUBLIC_URL</c> when set (the issuer OpenIddict announces), else
/// the address the caller used (which is what OpenIddict infers then), so metadata and tokens always agree.
/// </summary>
internal sealed class OAuthIssuer(IOptions<McpForwardingOptions> options)
{
    public Uri Root(HttpRequest request) =>
        options.Value.PublicUrl is { } configured
            ? new Uri(configured.AbsoluteUri.TrimEnd('/') + "/")
            : new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");

    /// <summary>The issuer identifier, exactly as the authorization server metadata states it.</summary>
    public string Issuer(HttpRequest request) => Root(request).AbsoluteUri;

    /// <summary>The endpoint URL clients send as <c>resource</c> (RFC 8707) and the resource metadata states.</summary>
    public string ResourceOf(HttpRequest request, Guid deploymentId) => new Uri(Root(request), $"api/mcp/{deploymentId}").AbsoluteUri;

    public string ResourceMetadataOf(HttpRequest request, Guid deploymentId) =>
        new Uri(Root(request), OAuthPaths.ResourceMetadataFor(deploymentId).TrimStart('/')).AbsoluteUri;

    /// <summary>The deployment a <c>resource</c> value names, when it is exactly one of this server's endpoint URLs.</summary>
    public Guid? DeploymentNamedBy(HttpRequest request, string? resource)
    {
        var prefix = new Uri(Root(request), "api/mcp/").AbsoluteUri;
        return resource is not null && resource.StartsWith(prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(resource[prefix.Length..], "D", out var id)
            && string.Equals(ResourceOf(request, id), resource, StringComparison.Ordinal)
                ? id
                : null;
    }
}
