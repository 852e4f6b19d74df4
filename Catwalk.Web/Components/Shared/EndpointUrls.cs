using Microsoft.AspNetCore.Components;

namespace Catwalk.Web.Components.Shared;

/// <summary>A deployment's MCP endpoint as clients reach it: under <c>PUBLIC_URL</c> when set, else the address the
/// browser used for this app.</summary>
public sealed class EndpointUrls(IConfiguration configuration, NavigationManager navigation)
{
    public Uri For(Guid deploymentId) => new(Base, $"api/mcp/{deploymentId}");

    private Uri Base
    {
        get
        {
            var configured = configuration["PUBLIC_URL"];
            var text = Uri.TryCreate(configured, UriKind.Absolute, out var publicUrl) ? publicUrl.AbsoluteUri : navigation.BaseUri;
            return new Uri(text.EndsWith('/') ? text : text + "/");
        }
    }
}
