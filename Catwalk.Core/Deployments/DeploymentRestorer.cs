using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Deployments;

/// <summary>
/// State survives an app restart: at start-up, deployments that should be running are brought back (a local machine
/// died with the previous process; a Fly machine may still be up). At shutdown, lifecycle operations are cancelled.
/// </summary>
public sealed class DeploymentRestorer(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentLifecycle lifecycle,
    DeploymentOperationGate gate,
    MachineRuntimes runtimes,
    MachineStatusProbe probe) : IHostedService
{
    private static readonly DeploymentStatus[] ShouldRun =
    [
        DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting,
        DeploymentStatus.Running, DeploymentStatus.Unhealthy,
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deployments = await db.Deployments.AsNoTracking().Where(d => ShouldRun.Contains(d.Status)).ToListAsync(cancellationToken);
        foreach (var deployment in deployments)
        {
            _ = gate.Track(() => BringBackAsync(deployment, gate.ShutdownToken));
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
}
