using Microsoft.AspNetCore.WebUtilities;
using Yarp.ReverseProxy.Forwarder;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Sends the request to the machine's <c>/mcp</c> with every MCP header unchanged, minus Catwalk's own credential:
/// the <c>Authorization</c> header and the <c>?token=</c> query parameter never reach the MCP server.
/// </summary>
internal sealed class McpRequestTransformer : HttpTransformer
{
    public static readonly McpRequestTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.Headers.Authorization = null;
        var query = QueryHelpers.ParseQuery(httpContext.Request.QueryString.Value);
        query.Remove("token");
        var rest = QueryString.Create(query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
        proxyRequest.RequestUri = new Uri(destinationPrefix + rest.Value);
    }
}
