namespace Catwalk.Core.Machines;

/// <summary>
/// Where the forwarder sends a machine's MCP traffic: the base URL serving <c>/mcp</c> and <c>/status</c>, and the
/// headers only the forwarder may add (a per-machine secret the machine requires on <c>/mcp</c>, when it has one).
/// </summary>
/// <param name="Channel">How to send requests to <paramref name="BaseUrl"/> when the runtime offers a way that skips the
/// network (a machine served in this process); null means plain HTTP.</param>
public sealed record MachineUpstream(Uri BaseUrl, IReadOnlyDictionary<string, string> RequiredHeaders, HttpMessageInvoker? Channel = null)
{
    public MachineUpstream(Uri baseUrl)
        : this(baseUrl, new Dictionary<string, string>())
    {
    }
}
