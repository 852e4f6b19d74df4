using System.Diagnostics.CodeAnalysis;
using Catwalk.Core.Machines;

namespace Catwalk.Tests.Machines.Reconciliation;

/// <summary>A runtime whose machine list a test sets, with a hook run while the reconciler lists (to race it).</summary>
internal sealed class ScriptedRuntime(RuntimeKind kind, Func<IReadOnlyList<MachineInfo>, Task>? whileListing = null) : IMachineRuntime
{
    public List<MachineInfo> Machines { get; } = [];

    public RuntimeKind Kind => kind;

    public static MachineInfo Machine(string id, Guid? deploymentId, MachineState state) =>
        new(id, deploymentId, RuntimeKind.Local, state, MachineHealth.Unknown, null, new Uri($"http://127.0.0.1:1/{id}/"), null, null, null, null);

    public async Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken cancellationToken)
    {
        if (whileListing is not null)
        {
            await whileListing(Machines);
        }

        return Machines.ToList();
    }

    public Task<MachineInfo?> InspectAsync(string machineId, CancellationToken cancellationToken) =>
        Task.FromResult(Machines.FirstOrDefault(m => m.MachineId == machineId));

    public Task DestroyAsync(string machineId, CancellationToken cancellationToken)
    {
        Machines.RemoveAll(m => m.MachineId == machineId);
        return Task.CompletedTask;
    }

    public bool TryGetUpstream(string machineId, [NotNullWhen(true)] out MachineUpstream? upstream)
    {
        upstream = new MachineUpstream(new Uri($"http://127.0.0.1:1/{machineId}/"));
        return true;
    }

    public Task<MachineInfo> ProvisionAsync(MachineSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<MachineInfo> UpdateAsync(string machineId, MachineSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StartAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task StopAsync(string machineId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<string>> GetLogTailAsync(string machineId, int lines, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
