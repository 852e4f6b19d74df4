namespace Catwalk.Web.Mcp;

/// <summary>
/// The transport's DNS-rebinding defence: a request that carries an <c>Origin</c> must come from the app's own
/// origin, a loopback page talking to a loopback Catwalk, or an origin the operator allowed.
/// </summary>
internal static class OriginPolicy
{
    public static bool IsAllowed(HttpRequest request, McpForwardingOptions options)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var originUri))
        {
            return false;
        }

        if (options.AllowedOrigins.Contains("*") || options.AllowedOrigins.Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (options.PublicUrl is not null && SameOrigin(originUri, options.PublicUrl))
        {
            return true;
        }

        var requestHost = request.Host.Host;
        if (string.Equals(originUri.Host, requestHost, StringComparison.OrdinalIgnoreCase) && originUri.Scheme == request.Scheme)
        {
            // Same host as the one the request was addressed to: rebinding would need a different Host header.
            return originUri.IsLoopback || !IsLoopbackName(requestHost);
        }

        return originUri.IsLoopback && IsLoopbackName(requestHost);
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static bool IsLoopbackName(string host) =>
        host is "localhost" or "127.0.0.1" or "[::1]" or "::1";
}
