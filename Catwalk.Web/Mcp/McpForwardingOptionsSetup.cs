using Catwalk.Core.Hosting;
using Microsoft.Extensions.Options;

namespace Catwalk.Web.Mcp;

/// <summary>Binds <see cref="McpForwardingOptions"/>; durations take the shared forms, a plain number being seconds.</summary>
internal sealed class McpForwardingOptionsSetup(IConfiguration configuration) : IConfigureOptions<McpForwardingOptions>
{
    public const string MaxBodyBytesVariable = "CATWALK_MCP_MAX_BODY_BYTES";
    public const string StreamIdleTimeoutVariable = "CATWALK_MCP_STREAM_IDLE_TIMEOUT";
    public const string RouteCacheVariable = "CATWALK_MCP_ROUTE_CACHE_SECONDS";
    public const string AllowedOriginsVariable = "CATWALK_ALLOWED_ORIGINS";

    public void Configure(McpForwardingOptions options)
    {
        var settings = new SettingReader(configuration);
        options.MaxRequestBodyBytes = settings.Count(MaxBodyBytesVariable, minimum: 1024) ?? options.MaxRequestBodyBytes;
        options.StreamIdleTimeout = settings.Duration(StreamIdleTimeoutVariable, DurationUnit.Seconds) ?? options.StreamIdleTimeout;
        options.RouteCacheLifetime = settings.Duration(RouteCacheVariable, DurationUnit.Seconds, zeroAllowed: true) ?? options.RouteCacheLifetime;
        options.AllowedOrigins = (settings.Text(AllowedOriginsVariable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.TrimEnd('/'))
            .ToArray();
        options.PublicUrl = Uri.TryCreate(settings.Text("PUBLIC_URL"), UriKind.Absolute, out var publicUrl) ? publicUrl : null;
        settings.ThrowIfInvalid<McpForwardingOptions>();
    }
}
