using Catwalk.Core.Cluster;
using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Deployments;

/// <summary>
/// State survives an app restart: deployments that should be running are brought back (a local machine died with the
/// previous process; a Fly machine may still be up) by the instance that leads the background duties, once it leads,
/// so a second instance starting beside a running one does not start what already runs, and an instance taking over
/// from a dead leader finishes what it left. Deployments an operation holds (on any instance) are left to it. At
/// shutdown, lifecycle operations are cancelled.
/// </summary>
public sealed partial class DeploymentRestorer(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentLifecycle lifecycle,
    DeploymentOperationGate gate,
    MachineRuntimes runtimes,
    MachineStatusProbe probe,
    BackgroundDutyLeadership leadership,
    ILogger<DeploymentRestorer> logger) : IHostedService
{
    private static readonly DeploymentStatus[] ShouldRun =
    [
        DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting,
        DeploymentStatus.Running, DeploymentStatus.Unhealthy,
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = gate.Track(() => RestoreWhenLeadingAsync(gate.ShutdownToken));
        return Task.CompletedTask;
    }

    private async Task RestoreWhenLeadingAsync(CancellationToken ct)
    {
        await leadership.WaitUntilLeaderAsync(ct);
        List<Deployment> deployments;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            deployments = await db.Deployments.AsNoTracking().Where(d => ShouldRun.Contains(d.Status)).ToListAsync(ct);
        }

        var busy = await gate.BusyEverywhereAsync(ct);
        var toBringBack = deployments.Where(d => !busy.Contains(AdvisoryLockKeys.For(d.Id))).ToList();
        LogRestoring(logger, toBringBack.Count);
        foreach (var deployment in toBringBack)
        {
            _ = gate.Track(() => BringBackAsync(deployment, ct));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => gate.StopAsync(TimeSpan.FromSeconds(10));

    private async Task BringBackAsync(Deployment deployment, CancellationToken ct)
    {
        var runtime = runtimes.For(deployment.RuntimeKind);
        var machine = deployment.MachineId is null ? null : await runtime.InspectAsync(deployment.MachineId, ct);
        if (machine is { State: MachineState.Started } && await probe.IsReadyAsync(machine.HealthUrl, ct))
        {
            return;
        }

        await lifecycle.StartAsync(deployment.Id, "Brought back after Catwalk restarted", ct);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leading the background duties: {Count} deployment(s) that should run are checked and brought back if needed")]
    private static partial void LogRestoring(ILogger logger, int count);
}
