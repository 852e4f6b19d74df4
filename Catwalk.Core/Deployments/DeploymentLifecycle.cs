using System.Collections.Concurrent;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Persistence;
using Catwalk.Core.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The deployment state machine: create, provision, stop, start, restart, redeploy, delete, wake. Every status
/// change goes through <see cref="DeploymentTransitions"/> (an event with a reason); one operation runs at a time
/// per deployment.
/// </summary>
public sealed partial class DeploymentLifecycle(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentTransitions transitions,
    DeploymentStatusFeed feed,
    ICredentialVault vault,
    MachineSpecFactory specs,
    MachineRuntimes runtimes,
    MachineStatusProbe probe,
    DeploymentOperationGate gate,
    DeploymentQuota quota,
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    CatwalkMetrics metrics,
    IDeploymentNames names,
    ILogger<DeploymentLifecycle> logger) : IDeploymentReprovisioner
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<DeploymentWake>>> _wakes = new();
    private DeploymentOptions Options => options.Value;

    /// <summary>Validates and stores the deployment and its credentials, then provisions it in the background.
    /// Returns at once (status Pending) with the access token, shown this once.</summary>
    public async Task<CreatedDeployment> CreateAsync(CreateDeploymentRequest request, CancellationToken cancellationToken)
    {
        request = ArgumentCredentials.Apply(request);
        DeploymentRequestValidator.ThrowIfInvalid(request);
        if (runtimes.WhyCannotRun(request.Runtime) is { } refusal)
        {
            throw new DeploymentValidationException(new Dictionary<string, string[]> { ["runtime"] = [refusal] });
        }

        if (await names.FindAsync(request.OwnerId, request.Name, cancellationToken) is { } existing)
        {
            throw new DeploymentNameTakenException(request.Name, existing);
        }

        await quota.ThrowIfReachedAsync(request.OwnerId, cancellationToken);
        var token = DeploymentAccessTokens.Generate();
        var deployment = new Deployment
        {
            // Random (v4), not time-ordered: ids appear in endpoint URLs and should reveal nothing.
            Id = Guid.NewGuid(),
            OwnerId = request.OwnerId,
            Name = request.Name,
            RepoUrl = request.RepoUrl,
            Package = request.Package,
            Runtime = request.Runtime,
            PackageVersion = string.IsNullOrWhiteSpace(request.Version) ? null : request.Version,
            Arguments = [.. request.Arguments],
            RuntimeKind = runtimes.ActiveKind,
            AccessTokenHash = DeploymentAccessTokens.Hash(token),
        };
        try
        {
            await transitions.RecordCreatedAsync(deployment, cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: DeploymentNames.UniqueIndex })
        {
            // Another request took the name between the check above and this insert.
            throw new DeploymentNameTakenException(request.Name, await names.FindAsync(request.OwnerId, request.Name, cancellationToken) ?? Guid.Empty);
        }
        await vault.ReplaceAllAsync(deployment.Id, request.Environment, cancellationToken);
        LogCreated(logger, deployment.Id, deployment.Package, deployment.RuntimeKind);
        _ = gate.StartInBackground(deployment.Id, ct => ProvisionLockedAsync(deployment.Id, null, ct));
        return new CreatedDeployment(deployment, token);
    }

    public async Task StopAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        await (await BeginStopAsync(id, reason, cancellationToken)).Completion.WaitAsync(cancellationToken);

    public async Task StartAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        await (await BeginStartAsync(id, reason, cancellationToken)).Completion.WaitAsync(cancellationToken);

    public async Task RestartAsync(Guid id, CancellationToken cancellationToken) =>
        await (await BeginRestartAsync(id, cancellationToken)).Completion.WaitAsync(cancellationToken);

    public async Task RedeployAsync(Guid id, IReadOnlyDictionary<string, string>? environment, string? version, CancellationToken cancellationToken) =>
        await (await BeginRedeployAsync(id, environment, version, cancellationToken)).Completion.WaitAsync(cancellationToken);

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        await (await BeginDeleteAsync(id, cancellationToken)).Completion.WaitAsync(cancellationToken);

    /// <summary>Writes Stopping now (a stopped deployment stays as it is), then stops the machine in the background.</summary>
    public async Task<DeploymentOperation> BeginStopAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        var moved = await transitions.ApplyAsync(id, DeploymentTrigger.Stop, reason, cancellationToken: cancellationToken);
        if (moved is { Outcome: DeploymentTransitionOutcome.Refused, Deployment.Status: DeploymentStatus.Stopped })
        {
            return new DeploymentOperation(moved.Deployment, Task.CompletedTask);
        }

        var accepted = moved.Written(id);
        return new DeploymentOperation(accepted, gate.StartInBackground(id, ct => StopLockedAsync(accepted, ct)));
    }

    /// <summary>Writes Starting now, then starts the machine (or provisions one) and waits until it is healthy.</summary>
    public async Task<DeploymentOperation> BeginStartAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        var accepted = (await transitions.ApplyAsync(id, DeploymentTrigger.Start, reason, cancellationToken: cancellationToken)).Written(id);
        return new DeploymentOperation(accepted, gate.StartInBackground(id, ct => StartLockedAsync(accepted, ct)));
    }

    /// <summary>Writes Stopping now, then stops the machine and starts it again.</summary>
    public async Task<DeploymentOperation> BeginRestartAsync(Guid id, CancellationToken cancellationToken)
    {
        var moved = await transitions.ApplyAsync(id, DeploymentTrigger.Stop, "Restart requested", cancellationToken: cancellationToken);
        if (moved is { Outcome: DeploymentTransitionOutcome.Refused, Deployment.Status: DeploymentStatus.Stopped })
        {
            return await BeginStartAsync(id, "Restart requested", cancellationToken);
        }

        var accepted = moved.Written(id);
        return new DeploymentOperation(accepted, gate.StartInBackground(id, async ct =>
        {
            if (await StopLockedAsync(accepted, ct) is { } stopped
                && await transitions.ApplyAsync(id, DeploymentTrigger.Start, "Restart requested", expectedStatus: DeploymentStatus.Stopped, cancellationToken: ct) is { Moved: true } starting)
            {
                await StartLockedAsync(starting.Deployment!, ct);
            }
        }));
    }

    /// <summary>Replaces the credentials (when given) and/or the version, writes Starting, then runs the machine again
    /// with them in the background.</summary>
    public async Task<DeploymentOperation> BeginRedeployAsync(Guid id, IReadOnlyDictionary<string, string>? environment, string? version, CancellationToken cancellationToken)
    {
        var deployment = await LoadAsync(id, cancellationToken);
        var versionError = version is null ? null : Packages.PackageNameRules.ValidateVersion(deployment.Runtime, version);
        var envError = environment is null ? null : DeploymentRequestValidator.ValidateEnvironment(environment)
            ?? Packages.ServerArgumentRules.ValidateReferences(deployment.Arguments, environment.Keys);
        if (versionError is not null || envError is not null)
        {
            var errors = new Dictionary<string, string[]>();
            if (versionError is not null)
            {
                errors["version"] = [versionError];
            }

            if (envError is not null)
            {
                errors["env"] = [envError];
            }

            throw new DeploymentValidationException(errors);
        }

        if (environment is not null)
        {
            await vault.ReplaceAllAsync(id, environment, cancellationToken);
        }

        var reason = environment is not null ? "Redeploying with updated credentials" : "Redeploying a new version";
        var accepted = (await transitions.ApplyAsync(id, DeploymentTrigger.Redeploy, reason,
            change: version is null ? null : new DeploymentChange { PackageVersion = version }, cancellationToken: cancellationToken)).Written(id);
        return new DeploymentOperation(accepted, gate.StartInBackground(id, async ct =>
        {
            var runtime = runtimes.For(accepted.RuntimeKind);
            var spec = await specs.CreateAsync(accepted, ct);
            await RunGuardedAsync(accepted, DeploymentStatus.Starting, async () =>
            {
                var machine = accepted.MachineId is null || await runtime.InspectAsync(accepted.MachineId, ct) is null
                    ? await runtime.ProvisionAsync(spec, ct)
                    : await runtime.UpdateAsync(accepted.MachineId, spec, ct);
                if (machine.MachineId != accepted.MachineId)
                {
                    await RecordMachineAsync(accepted, machine.MachineId, DeploymentStatus.Starting, ct);
                }

                await WaitUntilRunningAsync(accepted, runtime, machine, "Redeployed and healthy", ct);
            }, ct);
        }));
    }

    /// <summary>Writes Deleting now, then destroys the machine and removes the deployment, its credentials and its events.</summary>
    public async Task<DeploymentOperation> BeginDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        var accepted = (await transitions.ApplyAsync(id, DeploymentTrigger.Delete, cancellationToken: cancellationToken)).Written(id);
        return new DeploymentOperation(accepted, gate.StartInBackground(id, async ct =>
        {
            using var span = CatwalkTelemetry.StartOperation("delete", id);
            // Read again: an operation that ran before this one may have recorded a machine meanwhile.
            var deployment = await LoadAsync(id, ct);
            if (deployment.MachineId is not null)
            {
                await runtimes.For(deployment.RuntimeKind).DestroyAsync(deployment.MachineId, ct);
            }

            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Deployments.Where(d => d.Id == id).ExecuteDeleteAsync(ct);
            LogDeleted(logger, id);
            if (deployment.MachineId is not null)
            {
                await feed.PublishAsync(new MachineRemoved(deployment.MachineId, time.GetUtcNow()));
            }
        }));
    }

    /// <summary>Replaces the access token; the old one stops working at once. Returns the new token (shown once).</summary>
    public async Task<string> RotateTokenAsync(Guid id, CancellationToken cancellationToken)
    {
        var token = DeploymentAccessTokens.Generate();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var updated = await db.Deployments.Where(d => d.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.AccessTokenHash, DeploymentAccessTokens.Hash(token))
                .SetProperty(d => d.UpdatedAt, time.GetUtcNow()), cancellationToken);
        if (updated != 1)
        {
            throw new DeploymentNotFoundException(id);
        }

        await feed.PublishAsync(new DeploymentTokenRotated(id, time.GetUtcNow()));
        return token;
    }

    /// <summary>
    /// For a request to a deployment that is not running: a stopped one is started and waited for (concurrent callers
    /// share one wake, bounded by the wake timeout); a failed one is not touched: the answer says why it failed.
    /// </summary>
    public async Task<DeploymentWake> WakeAsync(Guid id, CancellationToken cancellationToken)
    {
        var now = await LoadAsync(id, cancellationToken);
        if (now.Status is DeploymentStatus.Running or DeploymentStatus.Unhealthy)
        {
            return DeploymentWake.Running;
        }

        if (now.Status == DeploymentStatus.Failed)
        {
            return new DeploymentWake(false, DeploymentStateMachine.Decide(now.Status, DeploymentTrigger.Wake, now.ErrorMessage).Refusal);
        }

        var wake = _wakes.GetOrAdd(id, key => new Lazy<Task<DeploymentWake>>(() => WakeOnceAsync(key)));
        try
        {
            return await wake.Value.WaitAsync(Options.WakeTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new DeploymentWake(false, "the deployment is starting; try again shortly");
        }
    }

    /// <summary>
    /// The reconciler found the deployment's machine gone while it should run: provision again, in the background
    /// (a reconciliation round does not wait minutes for one machine). Skipped if a machine came back meanwhile.
    /// </summary>
    public Task ReprovisionAsync(Guid deploymentId, string reason, CancellationToken cancellationToken)
    {
        _ = gate.StartInBackground(deploymentId, async ct =>
        {
            var deployment = await LoadAsync(deploymentId, ct);
            var runtime = runtimes.For(deployment.RuntimeKind);
            if (deployment.MachineId is not null && await runtime.InspectAsync(deployment.MachineId, ct) is { State: MachineState.Started })
            {
                return;
            }

            await ProvisionLockedAsync(deploymentId, reason, ct);
        });
        return Task.CompletedTask;
    }

    private async Task<DeploymentWake> WakeOnceAsync(Guid id)
    {
        using var span = CatwalkTelemetry.StartOperation("wake", id);
        try
        {
            await gate.RunAsync(id, async ct =>
            {
                if (await transitions.ApplyAsync(id, DeploymentTrigger.Wake, cancellationToken: ct) is { Moved: true } woken)
                {
                    await StartLockedAsync(woken.Deployment!, ct);
                }
            }, CancellationToken.None);
            var after = await LoadAsync(id, gate.ShutdownToken);
            return after.Status switch
            {
                DeploymentStatus.Running or DeploymentStatus.Unhealthy => DeploymentWake.Running,
                DeploymentStatus.Failed => new DeploymentWake(false, DeploymentStateMachine.Decide(after.Status, DeploymentTrigger.Wake, after.ErrorMessage).Refusal),
                var other => new DeploymentWake(false, $"the deployment is {other.ToString().ToLowerInvariant()}; try again shortly"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWakeFailed(logger, ex, id);
            return new DeploymentWake(false, "the deployment could not be woken; try again shortly");
        }
        finally
        {
            _wakes.TryRemove(id, out _);
        }
    }

    /// <summary>Provision → a machine accepted → Starting → healthy (Running) or Failed. <paramref name="reason"/> null
    /// records the table's reason.</summary>
    private async Task ProvisionLockedAsync(Guid id, string? reason, CancellationToken ct)
    {
        using var span = CatwalkTelemetry.StartOperation("provision", id);
        var moved = await transitions.ApplyAsync(id, DeploymentTrigger.Provision, reason, cancellationToken: ct);
        if (!moved.Moved)
        {
            return;
        }

        var deployment = moved.Deployment!;
        var runtime = runtimes.For(deployment.RuntimeKind);
        var started = time.GetTimestamp();
        await RunGuardedAsync(deployment, DeploymentStatus.Provisioning, async () =>
        {
            var spec = await specs.CreateAsync(deployment, ct);
            var machine = await runtime.ProvisionAsync(spec, ct);
            var accepted = await transitions.ApplyAsync(id, DeploymentTrigger.MachineAccepted,
                $"Machine {machine.MachineId} accepted; waiting for the server to answer initialize",
                change: DeploymentChange.RecordMachine(machine.MachineId), expectedStatus: DeploymentStatus.Provisioning, cancellationToken: ct);
            if (!accepted.Moved)
            {
                // Someone else took the deployment over (stop, delete): they must know the machine to stop or destroy it.
                await RecordMachineAsync(deployment, machine.MachineId, null, ct);
                return;
            }

            deployment.MachineId = machine.MachineId;
            await WaitUntilRunningAsync(deployment, runtime, machine, "Healthy: the server answered initialize", ct);
        }, ct);
        var outcome = ct.IsCancellationRequested ? "Cancelled" : (await LoadAsync(id, ct)).Status.ToString();
        span?.SetTag(CatwalkTelemetry.Tags.Outcome, outcome);
        metrics.RecordDeploy(deployment.RuntimeKind.ToString(), outcome, time.GetElapsedTime(started));
    }

    /// <summary>Runs a deployment that is Starting: starts its machine, or provisions one when it has none.</summary>
    private async Task StartLockedAsync(Deployment starting, CancellationToken ct)
    {
        using var span = CatwalkTelemetry.StartOperation("start", starting.Id);
        var runtime = runtimes.For(starting.RuntimeKind);
        var machine = starting.MachineId is null ? null : await runtime.InspectAsync(starting.MachineId, ct);
        if (machine is null)
        {
            await ProvisionLockedAsync(starting.Id, "The machine is gone: provisioning a new one", ct);
            return;
        }

        await RunGuardedAsync(starting, DeploymentStatus.Starting, async () =>
        {
            await runtime.StartAsync(machine.MachineId, ct);
            await WaitUntilRunningAsync(starting, runtime, machine, "Started and healthy", ct);
        }, ct);
    }

    /// <summary>Stops the machine of a deployment that is Stopping and records Stopped; null when it did not end Stopped.</summary>
    private async Task<Deployment?> StopLockedAsync(Deployment stopping, CancellationToken ct)
    {
        using var span = CatwalkTelemetry.StartOperation("stop", stopping.Id);
        Deployment? stopped = null;
        await RunGuardedAsync(stopping, DeploymentStatus.Stopping, async () =>
        {
            // Read again: an operation that ran before this one may have recorded a machine meanwhile.
            var machineId = (await LoadAsync(stopping.Id, ct)).MachineId;
            if (machineId is not null && await runtimes.For(stopping.RuntimeKind).InspectAsync(machineId, ct) is not null)
            {
                await runtimes.For(stopping.RuntimeKind).StopAsync(machineId, ct);
            }

            stopped = (await transitions.ApplyAsync(stopping.Id, DeploymentTrigger.MachineStopped, expectedStatus: DeploymentStatus.Stopping, cancellationToken: ct)).Deployment;
            await PublishMachineAsync(stopping.RuntimeKind, machineId, ct);
        }, ct);
        return stopped?.Status == DeploymentStatus.Stopped ? stopped : null;
    }

    /// <summary>Waits (the one health wait, <c>CATWALK_READY_TIMEOUT</c>) until the machine answers <c>/status</c> 200
    /// and records Running; records Failed (which stops the machine) when the runtime gives up or time runs out. Leaves
    /// quietly when another writer took the deployment over meanwhile.</summary>
    private async Task WaitUntilRunningAsync(Deployment deployment, IMachineRuntime runtime, MachineInfo machine, string reason, CancellationToken ct)
    {
        string? failure = machine.State == MachineState.Failed ? StartupWatch.WhyGiveUp(machine) : null;
        var takenOver = false;
        var watch = new StartupWatch();
        var ready = failure is null && await probe.WaitUntilReadyAsync(machine.HealthUrl, Options.ReadyTimeout, async innerCt =>
        {
            // Stop waiting as soon as the machine failed, stopped (a crash after started) or vanished, or someone else
            // moved the deployment: the runtime only accepted the start, this wait watches what became of it.
            failure = watch.Observe(await runtime.InspectAsync(machine.MachineId, innerCt));
            takenOver = (await LoadAsync(deployment.Id, innerCt)).Status != DeploymentStatus.Starting;
            return failure is null && !takenOver;
        }, ct);

        if (takenOver)
        {
            return;
        }

        if (ready)
        {
            if ((await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.BecameHealthy, reason,
                    change: new DeploymentChange { MarkActive = true }, expectedStatus: DeploymentStatus.Starting, cancellationToken: ct)).Moved)
            {
                await PublishMachineAsync(deployment.RuntimeKind, machine.MachineId, ct);
            }

            return;
        }

        var tail = await runtime.GetLogTailAsync(machine.MachineId, Options.FailureLogLines, ct);
        var why = failure ?? $"The server did not become healthy within {Options.ReadyTimeout.TotalSeconds:0} seconds.";
        await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.Fail, why, tail.Count == 0 ? null : string.Join('\n', tail),
            expectedStatus: DeploymentStatus.Starting, cancellationToken: ct);
        await PublishMachineAsync(deployment.RuntimeKind, machine.MachineId, ct);
    }

    /// <summary>Any runtime error ends the deployment Failed with the reason and the log tail, never half-way, unless
    /// another writer moved it on from <paramref name="status"/> meanwhile.</summary>
    private async Task RunGuardedAsync(Deployment deployment, DeploymentStatus status, Func<Task> action, CancellationToken ct)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogOperationFailed(logger, ex, deployment.Id);
            IReadOnlyList<string> tail = [];
            var machineId = (await LoadAsync(deployment.Id, CancellationToken.None)).MachineId;
            if (machineId is not null)
            {
                try
                {
                    tail = await runtimes.For(deployment.RuntimeKind).GetLogTailAsync(machineId, Options.FailureLogLines, CancellationToken.None);
                }
                catch (Exception tailError) when (tailError is not OperationCanceledException)
                {
                    LogOperationFailed(logger, tailError, deployment.Id);
                }
            }

            var current = (await LoadAsync(deployment.Id, CancellationToken.None)).Status;
            if (current == status || (status == DeploymentStatus.Provisioning && current == DeploymentStatus.Starting))
            {
                await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.Fail, MachineRuntimeException.ReasonOf(ex),
                    tail.Count == 0 ? null : string.Join('\n', tail), expectedStatus: current, cancellationToken: CancellationToken.None);
            }
        }
    }

    /// <summary>Records a machine the lifecycle made while another writer held the deployment, so that writer (a stop,
    /// a delete) can stop or destroy it; a deployment being deleted gets its machine destroyed right here.</summary>
    private async Task RecordMachineAsync(Deployment deployment, string machineId, DeploymentStatus? expected, CancellationToken ct)
    {
        var recorded = await transitions.ApplyAsync(deployment.Id, DeploymentTrigger.MachineRecorded, $"Recorded machine {machineId}",
            change: DeploymentChange.RecordMachine(machineId), expectedStatus: expected, cancellationToken: ct);
        if (recorded.Outcome == DeploymentTransitionOutcome.Refused || recorded.Outcome == DeploymentTransitionOutcome.NotFound)
        {
            await runtimes.For(deployment.RuntimeKind).DestroyAsync(machineId, ct);
        }
    }

    /// <summary>Tells live pages what the machine looks like after a lifecycle step changed it.</summary>
    private async Task PublishMachineAsync(RuntimeKind kind, string? machineId, CancellationToken ct)
    {
        if (machineId is not null && await runtimes.For(kind).InspectAsync(machineId, ct) is { } machine)
        {
            await feed.PublishAsync(new MachineObserved(machine, time.GetUtcNow()));
        }
    }

    private async Task<Deployment> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) ?? throw new DeploymentNotFoundException(id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} created for {Package} on the {RuntimeKind} runtime")]
    private static partial void LogCreated(ILogger logger, Guid deploymentId, string package, RuntimeKind runtimeKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} deleted")]
    private static partial void LogDeleted(ILogger logger, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A lifecycle operation on deployment {DeploymentId} failed")]
    private static partial void LogOperationFailed(ILogger logger, Exception exception, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking deployment {DeploymentId} failed")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, Guid deploymentId);
}
