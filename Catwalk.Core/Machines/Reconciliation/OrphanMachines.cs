using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>
/// The orphan machines the reconciler found (the admin page and API list them), and the admin's "destroy orphan",
/// which checks again that no deployment owns the machine before destroying it.
/// </summary>
public sealed partial class OrphanMachines(
    IDbContextFactory<CatwalkDbContext> contexts,
    MachineRuntimes runtimes,
    DeploymentStatusFeed feed,
    TimeProvider time,
    ILogger<OrphanMachines> logger)
{
    private readonly Lock _gate = new();
    private Dictionary<(RuntimeKind, string), OrphanMachine> _orphans = [];

    /// <summary>The orphans of the last reconciliation round, oldest first.</summary>
    public IReadOnlyList<OrphanMachine> List()
    {
        lock (_gate)
        {
            return _orphans.Values.OrderBy(o => o.BornAt).ToList();
        }
    }

    /// <summary>Destroys an orphan. Refuses (InvalidOperationException, with the reason) a machine that is not a known
    /// orphan or that a deployment records or is still creating.</summary>
    public async Task DestroyAsync(RuntimeKind kind, string machineId, CancellationToken cancellationToken)
    {
        OrphanMachine? orphan;
        lock (_gate)
        {
            _orphans.TryGetValue((kind, machineId), out orphan);
        }

        if (orphan is null)
        {
            throw new InvalidOperationException($"Machine {machineId} is not a known orphan of the {kind} runtime: refresh the list and try again.");
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var owner = await db.Deployments.AsNoTracking()
                .Where(d => d.MachineId == machineId && d.RuntimeKind == kind)
                .Select(d => new { d.Id, d.Name })
                .FirstOrDefaultAsync(cancellationToken);
            if (owner is not null)
            {
                throw new InvalidOperationException($"Machine {machineId} belongs to deployment '{owner.Name}' ({owner.Id}): delete the deployment instead.");
            }
        }

        await runtimes.For(kind).DestroyAsync(machineId, cancellationToken);
        lock (_gate)
        {
            _orphans.Remove((kind, machineId));
        }

        LogDestroyed(logger, machineId, kind, orphan.Reason);
        await feed.PublishAsync(new MachineRemoved(machineId, time.GetUtcNow()));
    }

    /// <summary>Replaces one runtime's orphans with what the reconciler just saw, keeping when each was first seen.</summary>
    internal IReadOnlyList<OrphanMachine> Update(RuntimeKind kind, IEnumerable<(MachineInfo Machine, string Reason)> seen, DateTimeOffset now)
    {
        lock (_gate)
        {
            var next = _orphans.Where(o => o.Key.Item1 != kind).ToDictionary(o => o.Key, o => o.Value);
            foreach (var (machine, reason) in seen)
            {
                var firstSeen = _orphans.TryGetValue((kind, machine.MachineId), out var known) ? known.FirstSeenAt : now;
                next[(kind, machine.MachineId)] = new OrphanMachine(machine, reason, firstSeen);
            }

            _orphans = next;
            return next.Where(o => o.Key.Item1 == kind).Select(o => o.Value).ToList();
        }
    }

    internal void Forget(RuntimeKind kind, string machineId)
    {
        lock (_gate)
        {
            _orphans.Remove((kind, machineId));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Destroyed orphan machine {MachineId} on the {Runtime} runtime ({Reason})")]
    private static partial void LogDestroyed(ILogger logger, string machineId, RuntimeKind runtime, string reason);
}
