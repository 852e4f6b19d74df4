using System.Runtime.CompilerServices;
using Catwalk.Core.Machines;
using Yarp.ReverseProxy.Forwarder;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Sends the request to the machine's <c>/mcp</c> with every MCP header unchanged, minus Catwalk's own credential:
/// the <c>Authorization</c> header and the <c>?token=</c> query parameter never reach the MCP server. The headers the
/// machine requires of the forwarder (its per-machine secret) replace whatever the client sent under those names.
/// </summary>
internal sealed class McpRequestTransformer(IReadOnlyDictionary<string, string> requiredHeaders) : HttpTransformer
{
    private static readonly McpRequestTransformer WithoutRequiredHeaders = new(new Dictionary<string, string>());

    // A local machine keeps one upstream for its life: its transformer is made once, not on every forwarded call.
    private static readonly ConditionalWeakTable<MachineUpstream, McpRequestTransformer> PerUpstream = new();

    public static McpRequestTransformer For(MachineUpstream upstream) =>
        upstream.RequiredHeaders.Count == 0
            ? WithoutRequiredHeaders
            : PerUpstream.GetValue(upstream, u => new McpRequestTransformer(u.RequiredHeaders));

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Authorization = null;
        foreach (var (name, value) in requiredHeaders)
        {
            proxyRequest.Headers.Remove(name);
            proxyRequest.Headers.TryAddWithoutValidation(name, value);
        }

        proxyRequest.RequestUri = new Uri(destinationPrefix + McpTokenQuery.Without(httpContext.Request.QueryString).Value);
    }
}
