using Catwalk.Core.Deployments;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Machines.Admin;

/// <summary>
/// Every machine the configured runtimes know, joined with the deployment and owner it belongs to (admins only:
/// callers check the role). Stop and start of a deployment's machine go through the lifecycle so the deployment's
/// status and events stay the truth; only an orphan can be destroyed here.
/// </summary>
public sealed class MachineDirectory(
    IDbContextFactory<CatwalkDbContext> contexts,
    MachineRuntimes runtimes,
    DeploymentLifecycle lifecycle,
    OrphanMachines orphans)
{
    public async Task<IReadOnlyList<MachineRow>> ListAsync(CancellationToken cancellationToken)
    {
        var machines = new List<MachineInfo>();
        foreach (var runtime in runtimes.All())
        {
            machines.AddRange(await runtime.ListAsync(cancellationToken));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owners = await (
                from d in db.Deployments.AsNoTracking()
                join u in db.Users on d.OwnerId equals u.Id into us
                from u in us.DefaultIfEmpty()
                select new Owner(d.Id, d.Name, d.OwnerId, u == null ? null : u.Email, d.MachineId, d.RuntimeKind))
            .ToListAsync(cancellationToken);
        var byMachine = owners.Where(o => o.MachineId is not null).ToDictionary(o => (o.RuntimeKind, o.MachineId!));
        var byDeployment = owners.ToDictionary(o => o.DeploymentId);
        var orphanReasons = orphans.List().ToDictionary(o => (o.Machine.RuntimeKind, o.Machine.MachineId), o => o.Reason);

        return machines
            .Select(m =>
            {
                var owner = byMachine.GetValueOrDefault((m.RuntimeKind, m.MachineId))
                    ?? (m.DeploymentId is { } tagged ? byDeployment.GetValueOrDefault(tagged) : null);
                var orphanReason = owner is not null ? null
                    : orphanReasons.GetValueOrDefault((m.RuntimeKind, m.MachineId))
                      ?? (m.DeploymentId is null ? "Not tagged with a deployment" : "Its deployment no longer exists");
                return new MachineRow(m.MachineId, owner?.DeploymentId, owner?.Name, owner?.OwnerId, owner?.Email, m.RuntimeKind,
                    m.State, m.Health, m.Region, m.UpstreamBaseUrl, m.LastCheckedAt, m.StartedAt, orphanReason, m.Detail);
            })
            .OrderBy(r => r.IsOrphan).ThenBy(r => r.DeploymentName, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.MachineId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Null when no runtime knows the machine.</summary>
    public async Task<MachineRow?> FindAsync(string machineId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(r => r.MachineId == machineId);

    public Task StopAsync(string machineId, CancellationToken cancellationToken) =>
        ActAsync(machineId,
            (id, ct) => lifecycle.StopAsync(id, "Stopped by an admin", ct),
            (runtime, ct) => runtime.StopAsync(machineId, ct), cancellationToken);

    public Task StartAsync(string machineId, CancellationToken cancellationToken) =>
        ActAsync(machineId,
            (id, ct) => lifecycle.StartAsync(id, "Started by an admin", ct),
            (runtime, ct) => runtime.StartAsync(machineId, ct), cancellationToken);

    /// <summary>Destroys an orphan; a deployment's machine is refused (delete the deployment instead).</summary>
    public async Task DestroyAsync(string machineId, CancellationToken cancellationToken)
    {
        var row = await FindAsync(machineId, cancellationToken) ?? throw new MachineNotFoundException(machineId);
        if (!row.IsOrphan)
        {
            throw new MachineActionException($"Machine {machineId} belongs to deployment '{row.DeploymentName}': delete the deployment instead.");
        }

        try
        {
            await orphans.DestroyAsync(row.RuntimeKind, machineId, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new MachineActionException(ex.Message);
        }
    }

    private async Task ActAsync(string machineId, Func<Guid, CancellationToken, Task> onDeployment,
        Func<IMachineRuntime, CancellationToken, Task> onOrphan, CancellationToken cancellationToken)
    {
        var row = await FindAsync(machineId, cancellationToken) ?? throw new MachineNotFoundException(machineId);
        if (row.DeploymentId is { } deploymentId)
        {
            await onDeployment(deploymentId, cancellationToken);
            return;
        }

        await onOrphan(runtimes.For(row.RuntimeKind), cancellationToken);
    }

    private sealed record Owner(Guid DeploymentId, string Name, string OwnerId, string? Email, string? MachineId, RuntimeKind RuntimeKind);
}

/// <summary>No configured runtime knows the machine.</summary>
public sealed class MachineNotFoundException(string machineId) : Exception($"No runtime knows machine {machineId}: refresh the list.")
{
    public string MachineId { get; } = machineId;
}
