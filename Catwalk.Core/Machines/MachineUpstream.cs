namespace Catwalk.Core.Machines;

/// <summary>
/// Where the forwarder sends a machine's MCP traffic: the base URL serving <c>/mcp</c> and <c>/status</c>, and the
/// headers only the forwarder may add (a per-machine secret the machine requires on <c>/mcp</c>, when it has one).
/// </summary>
public sealed record MachineUpstream(Uri BaseUrl, IReadOnlyDictionary<string, string> RequiredHeaders)
{
    public MachineUpstream(Uri baseUrl)
        : this(baseUrl, new Dictionary<string, string>())
    {
    }
}
