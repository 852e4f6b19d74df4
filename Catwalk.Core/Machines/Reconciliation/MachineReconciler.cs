using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>
/// At start-up and every <c>CATWALK_RECONCILE_INTERVAL</c>, compares the deployments with every configured runtime's
/// machines and makes the records tell the truth, through <see cref="DeploymentTransitions"/> with a reason:
/// a vanished machine fails its deployment (or has it re-provisioned, when it should be running and an
/// <see cref="IDeploymentReprovisioner"/> is registered); a machine stopped or started behind Catwalk's back moves its
/// deployment to Stopped or Running; machines no deployment owns are reported as orphans. It never destroys a machine,
/// except orphans older than <c>CATWALK_ORPHAN_CLEANUP_MIN_AGE</c> when that opt-in is set. With several instances only
/// the leader (<see cref="BackgroundDutyLeadership"/>) runs rounds: its first as soon as it leads.
/// </summary>
public sealed partial class MachineReconciler(
    IDbContextFactory<CatwalkDbContext> contexts,
    MachineRuntimes runtimes,
    DeploymentTransitions transitions,
    DeploymentStatusFeed feed,
    OrphanMachines orphans,
    IServiceScopeFactory scopes,
    IOptions<ReconciliationOptions> options,
    TimeProvider time,
    BackgroundDutyLeadership leadership,
    ILogger<MachineReconciler> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneRoundAtATime = new(1, 1);
    private readonly Dictionary<(RuntimeKind, string), (MachineState, MachineHealth)> _observed = [];

    private ReconciliationOptions Options => options.Value;

    /// <summary>Runs one round now (rounds never overlap) and says what it did.</summary>
    public async Task<ReconciliationReport> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        await _oneRoundAtATime.WaitAsync(cancellationToken);
        try
        {
            return await RunRoundAsync(cancellationToken);
        }
        finally
        {
            _oneRoundAtATime.Release();
        }
    }

    public override void Dispose()
    {
        _oneRoundAtATime.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Options.Interval, time);
        try
        {
            do
            {
                if (!leadership.IsLeader)
                {
                    // A standby: the first round as soon as it takes over (the previous leader may have died mid-round).
                    await leadership.WaitUntilLeaderAsync(stoppingToken);
                }

                await RunSafelyAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            var report = await ReconcileOnceAsync(stoppingToken);
            LogRound(logger, report.Actions.Count, report.Orphans.Count, report.SkippedRuntimes.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            LogRoundFailed(logger, ex);
        }
    }

    private async Task<ReconciliationReport> RunRoundAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var actions = new List<ReconciliationAction>();
        var found = new List<OrphanMachine>();
        var skipped = new List<string>();

        // Deployments first, machines second: anything the lifecycle changes in between shows as a changed row,
        // and a changed row is never overwritten (see MoveIfUnchangedAsync).
        var deployments = await LoadDeploymentsAsync(cancellationToken);
        foreach (var runtime in runtimes.All())
        {
            IReadOnlyList<MachineInfo> machines;
            try
            {
                machines = await runtime.ListAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // An outage of the runtime's API says nothing about the machines: change nothing this round.
                LogRuntimeUnavailable(logger, ex, runtime.Kind);
                skipped.Add($"{runtime.Kind}: {ex.Message}");
                continue;
            }

            var live = machines.Where(m => m.State is not (MachineState.Destroying or MachineState.Destroyed)).ToList();
            await PublishObservationsAsync(runtime.Kind, live, now);
            var claimed = await ReconcileDeploymentsAsync(runtime, deployments, live, now, actions, cancellationToken);
            var orphaned = orphans.Update(runtime.Kind, FindOrphans(runtime.Kind, deployments, live, claimed, now), now);
            found.AddRange(await CleanUpOrphansAsync(runtime.Kind, orphaned, now, cancellationToken));
        }

        return new ReconciliationReport(now, actions, found, skipped);
    }

    private async Task<Dictionary<Guid, DeploymentSnapshot>> LoadDeploymentsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Deployments.AsNoTracking()
            .Select(d => new DeploymentSnapshot(d.Id, d.Status, d.RuntimeKind, d.MachineId, d.UpdatedAt))
            .ToDictionaryAsync(d => d.Id, cancellationToken);
    }

    /// <summary>Corrects each deployment of the runtime; returns the machines the deployments own.</summary>
    private async Task<HashSet<string>> ReconcileDeploymentsAsync(
        IMachineRuntime runtime,
        Dictionary<Guid, DeploymentSnapshot> deployments,
        List<MachineInfo> machines,
        DateTimeOffset now,
        List<ReconciliationAction> actions,
        CancellationToken cancellationToken)
    {
        var byId = machines.ToDictionary(m => m.MachineId, StringComparer.Ordinal);
        var claimed = new HashSet<string>(
            deployments.Values.Where(d => d.RuntimeKind == runtime.Kind && d.MachineId is not null).Select(d => d.MachineId!),
            StringComparer.Ordinal);

        foreach (var d in deployments.Values.Where(d => d.RuntimeKind == runtime.Kind))
        {
            if (d.Status is DeploymentStatus.Pending or DeploymentStatus.Failed || IsSettling(d, now) || d.Status == DeploymentStatus.Deleting
                || (d.Status == DeploymentStatus.Stopped && d.MachineId is null))
            {
                // Not provisioned yet, given up, being deleted, stopped without a machine (it gets one when started),
                // or still the lifecycle's business: its tagged machines are its own.
                claimed.UnionWith(machines.Where(m => m.DeploymentId == d.Id).Select(m => m.MachineId));
                continue;
            }

            var machine = d.MachineId is { } recorded ? byId.GetValueOrDefault(recorded) : null;
            MachineInfo? adopted = null;
            if (machine is null && machines.Where(m => m.DeploymentId == d.Id).ToList() is [var only])
            {
                // Tagged for this deployment but not recorded (a create whose id was never saved): take it.
                adopted = machine = only;
                claimed.Add(only.MachineId);
            }

            if (machine is null)
            {
                await HandleVanishedAsync(runtime.Kind, d, actions, cancellationToken);
                continue;
            }

            var correction = Correct(d.Status, machine);
            var change = adopted is null ? null : DeploymentChange.RecordMachine(adopted.MachineId);
            if (correction is { } c)
            {
                var detail = adopted is null ? machine.Detail : $"Adopted machine {adopted.MachineId}, tagged for this deployment. {machine.Detail}".Trim();
                if (await MoveIfUnchangedAsync(d, c.To, c.Reason, detail, change, cancellationToken))
                {
                    actions.Add(new ReconciliationAction(d.Id, $"{d.Status} → {c.To}", c.Reason));
                    LogCorrected(logger, d.Id, d.Status, c.To, c.Reason);
                }
            }
            else if (adopted is not null &&
                     await MoveIfUnchangedAsync(d, d.Status, $"Recorded machine {adopted.MachineId}", "The machine is tagged for this deployment.", change, cancellationToken))
            {
                actions.Add(new ReconciliationAction(d.Id, "adopted " + adopted.MachineId, "The machine is tagged for this deployment."));
            }
        }

        return claimed;
    }

    /// <summary>The status the machine's state calls for, when it differs from the record; null when they agree or the
    /// machine is between states. Health is the monitor's business, not this one's.</summary>
    private static (DeploymentStatus To, string Reason)? Correct(DeploymentStatus recorded, MachineInfo machine) => machine.State switch
    {
        MachineState.Started when recorded is DeploymentStatus.Stopped or DeploymentStatus.Stopping or DeploymentStatus.Starting or DeploymentStatus.Provisioning =>
            (DeploymentStatus.Running, $"Machine {machine.MachineId} is running (recorded {recorded}): drift corrected"),
        MachineState.Stopped or MachineState.Created when recorded is DeploymentStatus.Running or DeploymentStatus.Unhealthy or DeploymentStatus.Starting
            or DeploymentStatus.Provisioning or DeploymentStatus.Stopping =>
            (DeploymentStatus.Stopped, $"Machine {machine.MachineId} is stopped (recorded {recorded}): drift corrected"),
        MachineState.Failed =>
            (DeploymentStatus.Failed, $"Machine {machine.MachineId} failed"),
        _ => null,
    };

    private async Task HandleVanishedAsync(RuntimeKind kind, DeploymentSnapshot d, List<ReconciliationAction> actions, CancellationToken cancellationToken)
    {
        var reason = d.MachineId is null
            ? $"No machine on the {kind} runtime"
            : $"Machine {d.MachineId} vanished: the {kind} runtime no longer has it";
        var shouldRun = d.Status is DeploymentStatus.Running or DeploymentStatus.Unhealthy or DeploymentStatus.Starting or DeploymentStatus.Provisioning;

        await using var scope = scopes.CreateAsyncScope();
        if (shouldRun && scope.ServiceProvider.GetService<IDeploymentReprovisioner>() is { } reprovisioner)
        {
            LogReprovisioning(logger, d.Id, reason);
            try
            {
                await reprovisioner.ReprovisionAsync(d.Id, reason, cancellationToken);
                actions.Add(new ReconciliationAction(d.Id, "re-provisioned", reason));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogReprovisioningFailed(logger, ex, d.Id);
                await transitions.ApplyAsync(d.Id, DeploymentTrigger.Fail, reason, "Re-provisioning failed: " + ex.Message, cancellationToken: cancellationToken);
                actions.Add(new ReconciliationAction(d.Id, $"{d.Status} → {DeploymentStatus.Failed}", reason));
            }

            return;
        }

        if (d.Status == DeploymentStatus.Stopped && scope.ServiceProvider.GetService<IDeploymentReprovisioner>() is not null)
        {
            // A stopped deployment needs no machine until it starts; starting it (or a request waking it) provisions one.
            if (await MoveIfUnchangedAsync(d, DeploymentStatus.Stopped, reason, "A new machine is provisioned when it is started.",
                    DeploymentChange.ForgetMachine(), cancellationToken))
            {
                actions.Add(new ReconciliationAction(d.Id, "forgot vanished machine", reason));
            }

            return;
        }

        var detail = shouldRun
            ? "Nothing on this host re-provisions it: deploy it again."
            : "It was stopped and cannot be woken without a machine: deploy it again.";
        if (await MoveIfUnchangedAsync(d, DeploymentStatus.Failed, reason, detail, null, cancellationToken))
        {
            actions.Add(new ReconciliationAction(d.Id, $"{d.Status} → {DeploymentStatus.Failed}", reason));
            LogCorrected(logger, d.Id, d.Status, DeploymentStatus.Failed, reason);
        }
    }

    private IEnumerable<(MachineInfo, string)> FindOrphans(
        RuntimeKind kind, Dictionary<Guid, DeploymentSnapshot> deployments, List<MachineInfo> machines, HashSet<string> claimed, DateTimeOffset now)
    {
        foreach (var machine in machines.Where(m => !claimed.Contains(m.MachineId)))
        {
            if (machine.DeploymentId is not { } id)
            {
                yield return (machine, "Not tagged with a Catwalk deployment");
            }
            else if (!deployments.TryGetValue(id, out var d))
            {
                yield return (machine, $"Tagged for deployment {id}, which no longer exists");
            }
            else if (d.RuntimeKind != kind)
            {
                yield return (machine, $"Tagged for deployment {id}, which runs on the {d.RuntimeKind} runtime");
            }
            else if (!IsSettling(d, now))
            {
                yield return (machine, $"Tagged for deployment {id}, which records {(d.MachineId is null ? "no machine" : "machine " + d.MachineId)}");
            }
        }
    }

    /// <summary>The opt-in clean-up: destroys orphans at least <c>CATWALK_ORPHAN_CLEANUP_MIN_AGE</c> old; returns those left.</summary>
    private async Task<List<OrphanMachine>> CleanUpOrphansAsync(RuntimeKind kind, IReadOnlyList<OrphanMachine> found, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var left = new List<OrphanMachine>();
        foreach (var orphan in found)
        {
            if (Options.OrphanCleanupMinAge is { } minAge && now - orphan.BornAt >= minAge)
            {
                try
                {
                    await orphans.DestroyAsync(kind, orphan.Machine.MachineId, cancellationToken);
                    _observed.Remove((kind, orphan.Machine.MachineId));
                    continue;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogCleanupFailed(logger, ex, orphan.Machine.MachineId);
                }
            }

            left.Add(orphan);
        }

        return left;
    }

    private async Task PublishObservationsAsync(RuntimeKind kind, List<MachineInfo> machines, DateTimeOffset now)
    {
        foreach (var machine in machines)
        {
            var key = (kind, machine.MachineId);
            if (!_observed.TryGetValue(key, out var seen) || seen != (machine.State, machine.Health))
            {
                _observed[key] = (machine.State, machine.Health);
                await feed.PublishAsync(new MachineObserved(machine, now));
            }
        }

        var present = machines.Select(m => m.MachineId).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _observed.Keys.Where(k => k.Item1 == kind && !present.Contains(k.Item2)).ToList())
        {
            _observed.Remove(gone);
            await feed.PublishAsync(new MachineRemoved(gone.Item2, now));
        }
    }

    private bool IsSettling(DeploymentSnapshot d, DateTimeOffset now) =>
        d.Status is DeploymentStatus.Pending or DeploymentStatus.Provisioning or DeploymentStatus.Starting or DeploymentStatus.Stopping or DeploymentStatus.Deleting &&
        now - d.UpdatedAt < Options.SettleTime;

    /// <summary>Moves the deployment only if nobody changed it since the round read it (compare-and-set on status and
    /// last update), so the reconciler never overwrites a transition the lifecycle just made.</summary>
    private async Task<bool> MoveIfUnchangedAsync(
        DeploymentSnapshot d, DeploymentStatus to, string reason, string? detail, DeploymentChange? change, CancellationToken cancellationToken)
    {
        var trigger = to switch
        {
            _ when to == d.Status => DeploymentTrigger.MachineRecorded,
            DeploymentStatus.Running => DeploymentTrigger.FoundStarted,
            DeploymentStatus.Stopped => DeploymentTrigger.FoundStopped,
            _ => DeploymentTrigger.Fail,
        };
        var moved = await transitions.ApplyAsync(d.Id, trigger, reason, detail, change, d.Status, d.UpdatedAt, cancellationToken);
        if (moved.Outcome == DeploymentTransitionOutcome.ChangedMeanwhile)
        {
            LogChangedMeanwhile(logger, d.Id);
        }

        return moved.Moved;
    }

    private sealed record DeploymentSnapshot(Guid Id, DeploymentStatus Status, RuntimeKind RuntimeKind, string? MachineId, DateTimeOffset UpdatedAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciliation: {Actions} correction(s), {Orphans} orphan(s), {Skipped} runtime(s) unavailable")]
    private static partial void LogRound(ILogger logger, int actions, int orphans, int skipped);

    [LoggerMessage(Level = LogLevel.Error, Message = "A reconciliation round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation skipped the {Runtime} runtime: its machines could not be listed")]
    private static partial void LogRuntimeUnavailable(ILogger logger, Exception exception, RuntimeKind runtime);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: {From} → {To} ({Reason})")]
    private static partial void LogCorrected(ILogger logger, Guid deploymentId, DeploymentStatus from, DeploymentStatus to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: re-provisioning ({Reason})")]
    private static partial void LogReprovisioning(ILogger logger, Guid deploymentId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deployment {DeploymentId}: re-provisioning failed")]
    private static partial void LogReprovisioningFailed(ILogger logger, Exception exception, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deployment {DeploymentId} changed during the round; left for the next one")]
    private static partial void LogChangedMeanwhile(ILogger logger, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not clean up orphan machine {MachineId}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string machineId);
}
