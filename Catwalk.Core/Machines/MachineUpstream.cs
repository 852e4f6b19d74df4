namespace Catwalk.Core.Machines;

/// <summary>
/// Where the forwarder sends a machine's MCP traffic: the base URL serving <c>/mcp</c> and <c>/status</c>, and the
/// headers only the forwarder may add (a per-machine secret the machine requires on <c>/mcp</c>, when it has one).
/// </summary>
/// <param name="InProcess">The same endpoints served inside this process, when the runtime has them (a local machine's
/// bridge): the forwarder then skips the network; null means plain HTTP to <paramref name="BaseUrl"/>.</param>
public sealed record MachineUpstream(Uri BaseUrl, IReadOnlyDictionary<string, string> RequiredHeaders, IInProcessMachineEndpoint? InProcess = null)
{
    public MachineUpstream(Uri baseUrl)
        : this(baseUrl, new Dictionary<string, string>())
    {
    }
}
