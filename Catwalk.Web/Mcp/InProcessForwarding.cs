using Catwalk.Core.Machines;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Forwards to a machine served in this process: the client's request is readdressed in place as the HTTP hop would send
/// it (the machine's host and <c>/mcp</c>, no <c>Authorization</c> or <c>?token=</c>, the machine's required headers
/// replacing any the client sent) and the machine answers on the client's own response, streaming as it writes.
/// </summary>
internal static class InProcessForwarding
{
    public static async Task ServeAsync(HttpContext context, MachineUpstream upstream, IInProcessMachineEndpoint machine)
    {
        var request = context.Request;
        var (host, pathBase, path, query) = (request.Host, request.PathBase, request.Path, request.QueryString);
        request.Headers.Authorization = default;
        foreach (var (name, value) in upstream.RequiredHeaders)
        {
            request.Headers[name] = value;
        }

        request.Host = HostString.FromUriComponent(upstream.BaseUrl);
        request.PathBase = PathString.Empty;
        request.Path = new PathString(upstream.BaseUrl.AbsolutePath.TrimEnd('/') + "/mcp");
        request.QueryString = McpTokenQuery.Without(query);
        try
        {
            await machine.ServeAsync(context);
        }
        finally
        {
            // The rest of Catwalk's pipeline (logs, the request span) sees the request as the client sent it.
            (request.Host, request.PathBase, request.Path, request.QueryString) = (host, pathBase, path, query);
        }
    }
}
