using System.Diagnostics.CodeAnalysis;

namespace Catwalk.Core.Machines;

/// <summary>
/// The machine contract: a runtime runs a deployment's stdio MCP server on a machine whose upstream base URL
/// serves <c>/mcp</c> (Streamable HTTP) and <c>/status</c> (200 once the server answered initialize, 503 before).
/// </summary>
public interface IMachineRuntime
{
    RuntimeKind Kind { get; }

    /// <summary>Creates the deployment's machine and starts it; returns once the runtime has accepted it
    /// (not necessarily healthy: callers wait on <c>/status</c>). Safe to call again for the same deployment:
    /// an existing machine for it is reused, never duplicated.</summary>
    Task<MachineInfo> ProvisionAsync(MachineSpec spec, CancellationToken cancellationToken);

    /// <summary>Replaces the machine's package version or environment and restarts it.</summary>
    Task<MachineInfo> UpdateAsync(string machineId, MachineSpec spec, CancellationToken cancellationToken);

    Task StartAsync(string machineId, CancellationToken cancellationToken);

    Task StopAsync(string machineId, CancellationToken cancellationToken);

    /// <summary>Destroys the machine; a machine that is already gone is not an error.</summary>
    Task DestroyAsync(string machineId, CancellationToken cancellationToken);

    /// <summary>The machine's current state, or null when the runtime no longer has it.</summary>
    Task<MachineInfo?> InspectAsync(string machineId, CancellationToken cancellationToken);

    /// <summary>Every machine this runtime runs for Catwalk, tagged or orphaned.</summary>
    Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Where the machine serves <c>/mcp</c> and <c>/status</c>; false when the runtime no longer knows it.</summary>
    bool TryGetUpstream(string machineId, [NotNullWhen(true)] out MachineUpstream? upstream);

    /// <summary>The last lines the server wrote to stderr, oldest first (empty when the runtime keeps none).</summary>
    Task<IReadOnlyList<string>> GetLogTailAsync(string machineId, int lines, CancellationToken cancellationToken);
}
