using System.Runtime.CompilerServices;
using Catwalk.Core.Machines;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Forwarding to a machine served in this process: the client's request is readdressed in place as the HTTP hop would send
/// it (the machine's host and <c>/mcp</c>, no <c>Authorization</c> or <c>?token=</c>, the machine's required headers
/// replacing any the client sent) and the machine answers on the client's own response, streaming as it writes.
/// </summary>
internal static class InProcessForwarding
{
    // A local machine keeps one upstream for its life: its address is worked out once, not on every forwarded call.
    private static readonly ConditionalWeakTable<MachineUpstream, Address> Addresses = new();

    /// <summary>Readdresses the request for the machine; the answer puts back what the client sent.</summary>
    public static AsSent Readdress(HttpRequest request, MachineUpstream upstream)
    {
        var asSent = new AsSent(request.Host, request.PathBase, request.Path, request.QueryString);
        var address = Addresses.GetValue(upstream, static u => new Address(
            HostString.FromUriComponent(u.BaseUrl), new PathString(u.BaseUrl.AbsolutePath.TrimEnd('/') + "/mcp"), [.. u.RequiredHeaders]));
        request.Headers.Authorization = default;
        foreach (var (name, value) in address.RequiredHeaders)
        {
            request.Headers[name] = value;
        }

        request.Host = address.Host;
        request.PathBase = PathString.Empty;
        request.Path = address.Path;
        request.QueryString = McpTokenQuery.Without(asSent.QueryString);
        return asSent;
    }

    /// <summary>What the client addressed.</summary>
    public readonly record struct AsSent(HostString Host, PathString PathBase, PathString Path, QueryString QueryString)
    {
        public void Restore(HttpRequest request) =>
            (request.Host, request.PathBase, request.Path, request.QueryString) = (Host, PathBase, Path, QueryString);
    }

    private sealed record Address(HostString Host, PathString Path, KeyValuePair<string, string>[] RequiredHeaders);
}
