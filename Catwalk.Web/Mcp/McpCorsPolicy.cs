using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Mcp;

/// <summary>
/// CORS for <c>/api/mcp/{id}</c>, so browser-based MCP clients can call it: preflights and answers name an origin only
/// when it is in <c>CATWALK_ALLOWED_ORIGINS</c> (or is the app's own <c>PUBLIC_URL</c>); any other origin gets no CORS
/// headers, so the browser refuses. Tokens travel in the <c>Authorization</c> header, never in cookies.
/// </summary>
internal sealed class McpCorsPolicy(IOptions<McpForwardingOptions> mcp) : IConfigureOptions<CorsOptions>
{
    public const string Name = "mcp-endpoint";

    public void Configure(CorsOptions options) => options.AddPolicy(Name, policy => policy
        .SetIsOriginAllowed(IsAllowed)
        .WithMethods("POST", "GET", "DELETE")
        .WithHeaders("Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID", "Mcp-Method", "Mcp-Name")
        .WithExposedHeaders("Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate", "Retry-After")
        .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));

    private bool IsAllowed(string origin)
    {
        var settings = mcp.Value;
        var trimmed = origin.TrimEnd('/');
        return settings.AllowedOrigins.Contains("*")
               || settings.AllowedOrigins.Contains(trimmed, StringComparer.OrdinalIgnoreCase)
               || (settings.PublicUrl is { } publicUrl && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
                   && uri.Scheme == publicUrl.Scheme && string.Equals(uri.Host, publicUrl.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == publicUrl.Port);
    }
}
