namespace Catwalk.Web.Mcp;

/// <summary>Limits of the forwarding endpoint (configuration keys in brackets).</summary>
internal sealed class McpForwardingOptions
{
    /// <summary>Largest request body forwarded [CATWALK_MCP_MAX_BODY_BYTES]; larger gets 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long a stream may stay silent before it is cut [CATWALK_MCP_STREAM_IDLE_TIMEOUT, seconds].
    /// Long: SSE streams (GET, subscriptions/listen) legitimately idle between keep-alives.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a deployment's route and token hash are reused at most without reading the database
    /// [CATWALK_MCP_ROUTE_CACHE_SECONDS; 0 turns it off]. Not a staleness window: every instance's change drops the entry
    /// at once (see <see cref="McpRouteCache"/>); this only bounds how long an unchanged entry is kept.</summary>
    public TimeSpan RouteCacheLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Browser origins allowed besides the app's own [CATWALK_ALLOWED_ORIGINS, comma-separated; * for any].</summary>
    public IReadOnlyList<string> AllowedOrigins { get; set; } = [];

    /// <summary>The app's public address [PUBLIC_URL]; its origin is always allowed.</summary>
    public Uri? PublicUrl { get; set; }
}
