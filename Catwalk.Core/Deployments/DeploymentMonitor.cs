using Catwalk.Core.Cluster;
using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The one observer of running machines: inspects them and health-checks <c>/status</c>, records Running ⇄ Unhealthy
/// and Failed, publishes what it saw on the status feed, and stops idle deployments. With several instances only the
/// leader (<see cref="BackgroundDutyLeadership"/>) observes; every instance flushes its own last activity in one batch,
/// so the leader's idle stop sees requests any instance served.
/// </summary>
public sealed partial class DeploymentMonitor(
    IDbContextFactory<CatwalkDbContext> contexts,
    MachineRuntimes runtimes,
    MachineStatusProbe probe,
    DeploymentTransitions transitions,
    DeploymentLifecycle lifecycle,
    DeploymentOperationGate gate,
    DeploymentActivity activity,
    DeploymentStatusFeed feed,
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    BackgroundDutyLeadership leadership,
    ILogger<DeploymentMonitor> logger) : BackgroundService
{
    private static readonly DeploymentStatus[] Watched = [DeploymentStatus.Running, DeploymentStatus.Unhealthy];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MonitorInterval, time);
        do
        {
            try
            {
                if (leadership.IsLeader)
                {
                    await RunOnceAsync(stoppingToken);
                }
                else
                {
                    await FlushActivityAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every watched deployment (public so tests can drive it without waiting).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await FlushActivityAsync(cancellationToken);
        List<Deployment> deployments;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            deployments = await db.Deployments.AsNoTracking()
                .Where(d => Watched.Contains(d.Status) && d.MachineId != null)
                .ToListAsync(cancellationToken);
        }

        // An operation running on any instance owns its deployment until it ends.
        var busy = await gate.BusyEverywhereAsync(cancellationToken);
        foreach (var deployment in deployments.Where(d => !gate.IsBusy(d.Id) && !busy.Contains(AdvisoryLockKeys.For(d.Id))))
        {
            await CheckAsync(deployment, cancellationToken);
        }
    }

    private async Task CheckAsync(Deployment deployment, CancellationToken ct)
    {
        var runtime = runtimes.For(deployment.RuntimeKind);
        var machine = await runtime.InspectAsync(deployment.MachineId!, ct);
        if (machine is null)
        {
            // A vanished machine is the reconciler's to handle (it may provision again).
            return;
        }

        if (machine.State == MachineState.Failed)
        {
            var tail = await runtime.GetLogTailAsync(machine.MachineId, options.Value.FailureLogLines, ct);
            await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.Fail, machine.Reason ?? "The machine failed",
                tail.Count == 0 ? null : string.Join('\n', tail), expectedStatus: deployment.Status, cancellationToken: ct);
            return;
        }

        var healthy = machine.State == MachineState.Started && await probe.IsReadyAsync(machine.HealthUrl, ct);
        var observed = machine with { Health = healthy ? MachineHealth.Healthy : MachineHealth.Unhealthy, LastCheckedAt = time.GetUtcNow() };
        await feed.PublishAsync(new MachineObserved(observed, time.GetUtcNow()));

        if (deployment.Status == DeploymentStatus.Running && !healthy)
        {
            await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.HealthCheckFailed, detail:
                machine.Detail ?? $"The machine is {machine.State} and /status did not answer 200.", expectedStatus: deployment.Status, cancellationToken: ct);
        }
        else if (deployment.Status == DeploymentStatus.Unhealthy && healthy)
        {
            await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.Recovered, expectedStatus: deployment.Status, cancellationToken: ct);
        }
        else if (deployment.Status == DeploymentStatus.Running && IsIdle(deployment))
        {
            await lifecycle.StopAsync(deployment.Id, $"Idle for {Describe(options.Value.IdleTimeout)}; the next request wakes it", ct);
        }
    }

    /// <summary>"30 minutes", or "3 seconds" for a fractional CATWALK_IDLE_TIMEOUT (which would otherwise read "0 minutes").</summary>
    private static string Describe(TimeSpan duration) =>
        duration.TotalMinutes >= 1 && duration.TotalMinutes == Math.Floor(duration.TotalMinutes)
            ? $"{duration.TotalMinutes:0} minute{(duration.TotalMinutes == 1 ? "" : "s")}"
            : $"{duration.TotalSeconds:0.#} seconds";

    private bool IsIdle(Deployment deployment)
    {
        var idleTimeout = options.Value.IdleTimeout;
        if (idleTimeout <= TimeSpan.Zero)
        {
            return false;
        }

        // The latest of this instance's own requests and what every instance flushed to the row.
        var last = new[] { activity.Get(deployment.Id).LastActivityAt, deployment.LastActivityAt }.Max() ?? deployment.UpdatedAt;
        return time.GetUtcNow() - last > idleTimeout;
    }

    private async Task FlushActivityAsync(CancellationToken ct)
    {
        var dirty = activity.TakeDirty();
        if (dirty.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        foreach (var (id, at) in dirty)
        {
            await db.Deployments.Where(d => d.Id == id && (d.LastActivityAt == null || d.LastActivityAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastActivityAt, at), ct);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A deployment monitor pass failed")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
