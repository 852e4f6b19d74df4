using System.Collections.Concurrent;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Core.Persistence;
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
    IOptions<DeploymentOptions> options,
    TimeProvider time,
    ILogger<DeploymentLifecycle> logger) : IDeploymentReprovisioner
{
    private readonly ConcurrentDictionary<Guid, Lazy<Task<bool>>> _wakes = new();
    private DeploymentOptions Options => options.Value;

    /// <summary>Validates and stores the deployment and its credentials, then provisions it in the background.
    /// Returns at once (status Pending) with the access token, shown this once.</summary>
    public async Task<CreatedDeployment> CreateAsync(CreateDeploymentRequest request, CancellationToken cancellationToken)
    {
        request = ArgumentCredentials.Apply(request);
        DeploymentRequestValidator.ThrowIfInvalid(request);
        var token = DeploymentAccessTokens.Generate();
        var now = time.GetUtcNow();
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
            Status = DeploymentStatus.Pending,
            RuntimeKind = runtimes.ActiveKind,
            AccessTokenHash = DeploymentAccessTokens.Hash(token),
            CreatedAt = now,
            UpdatedAt = now,
        };
        deployment.Events.Add(new DeploymentEvent { At = now, ToStatus = DeploymentStatus.Pending, Reason = "Created" });

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync(cancellationToken);
        }

        await vault.ReplaceAllAsync(deployment.Id, request.Environment, cancellationToken);
        LogCreated(logger, deployment.Id, deployment.Package, deployment.RuntimeKind);
        await feed.PublishAsync(new DeploymentStatusChanged(deployment.Id, deployment.OwnerId, null, DeploymentStatus.Pending, "Created", null, now));
        _ = gate.StartInBackground(deployment.Id, ct => ProvisionLockedAsync(deployment.Id, "Provisioning a machine", ct));
        return new CreatedDeployment(deployment, token);
    }

    public Task StopAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        gate.RunAsync(id, ct => StopLockedAsync(id, reason, ct), cancellationToken);

    public Task StartAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        gate.RunAsync(id, ct => StartLockedAsync(id, reason, ct), cancellationToken);

    public Task RestartAsync(Guid id, CancellationToken cancellationToken) =>
        gate.RunAsync(id, async ct =>
        {
            await StopLockedAsync(id, "Restart requested", ct);
            await StartLockedAsync(id, "Restart requested", ct);
        }, cancellationToken);

    /// <summary>Replaces the credentials (when given) and/or the version, then restarts the machine with them.</summary>
    public Task RedeployAsync(Guid id, IReadOnlyDictionary<string, string>? environment, string? version, CancellationToken cancellationToken) =>
        gate.RunAsync(id, async ct =>
        {
            var deployment = await LoadAsync(id, ct);
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
                await vault.ReplaceAllAsync(id, environment, ct);
            }

            var reason = environment is not null ? "Redeploying with updated credentials" : "Redeploying a new version";
            await transitions.MoveAsync(id, DeploymentStatus.Starting, reason,
                change: d => d.PackageVersion = version is null ? d.PackageVersion : version.Length == 0 ? null : version,
                cancellationToken: ct);
            deployment = await LoadAsync(id, ct);
            var runtime = runtimes.For(deployment.RuntimeKind);
            var spec = await specs.CreateAsync(deployment, ct);
            await RunGuardedAsync(deployment, async () =>
            {
                var machine = deployment.MachineId is null || await runtime.InspectAsync(deployment.MachineId, ct) is null
                    ? await runtime.ProvisionAsync(spec, ct)
                    : await runtime.UpdateAsync(deployment.MachineId, spec, ct);
                await WaitUntilRunningAsync(deployment, runtime, machine, "Redeployed and healthy", ct);
            }, ct);
        }, cancellationToken);

    /// <summary>Destroys the machine, then removes the deployment, its credentials and its events.</summary>
    public Task DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        gate.RunAsync(id, async ct =>
        {
            var deployment = await transitions.MoveAsync(id, DeploymentStatus.Deleting, "Delete requested", cancellationToken: ct)
                ?? throw new DeploymentNotFoundException(id);
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
        }, cancellationToken);

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
    /// For a request to a deployment that is not running: starts it and waits until healthy. Concurrent callers share
    /// one wake. False when it could not be woken within the wake timeout (the caller answers 503).
    /// </summary>
    public async Task<bool> WakeAsync(Guid id, CancellationToken cancellationToken)
    {
        var wake = _wakes.GetOrAdd(id, key => new Lazy<Task<bool>>(() => WakeOnceAsync(key)));
        try
        {
            return await wake.Value.WaitAsync(Options.WakeTimeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
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

    private async Task<bool> WakeOnceAsync(Guid id)
    {
        try
        {
            await gate.RunAsync(id, async ct =>
            {
                var deployment = await LoadAsync(id, ct);
                if (deployment.Status != DeploymentStatus.Running)
                {
                    await StartLockedAsync(id, "Woken by a request", ct);
                }
            }, CancellationToken.None);
            var after = await LoadAsync(id, gate.ShutdownToken);
            return after.Status == DeploymentStatus.Running;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWakeFailed(logger, ex, id);
            return false;
        }
        finally
        {
            _wakes.TryRemove(id, out _);
        }
    }

    private async Task ProvisionLockedAsync(Guid id, string reason, CancellationToken ct)
    {
        var deployment = await transitions.MoveAsync(id, DeploymentStatus.Provisioning, reason, cancellationToken: ct);
        if (deployment is null)
        {
            return;
        }

        var runtime = runtimes.For(deployment.RuntimeKind);
        await RunGuardedAsync(deployment, async () =>
        {
            var spec = await specs.CreateAsync(deployment, ct);
            var machine = await runtime.ProvisionAsync(spec, ct);
            await transitions.MoveAsync(id, DeploymentStatus.Starting, $"Machine {machine.MachineId} created; waiting for the server to answer",
                change: d => d.MachineId = machine.MachineId, cancellationToken: ct);
            deployment.MachineId = machine.MachineId;
            await WaitUntilRunningAsync(deployment, runtime, machine, "Healthy: the server answered initialize", ct);
        }, ct);
    }

    private async Task StartLockedAsync(Guid id, string reason, CancellationToken ct)
    {
        var deployment = await LoadAsync(id, ct);
        var runtime = runtimes.For(deployment.RuntimeKind);
        var machine = deployment.MachineId is null ? null : await runtime.InspectAsync(deployment.MachineId, ct);
        if (machine is null)
        {
            await ProvisionLockedAsync(id, reason + "; the machine is gone, provisioning a new one", ct);
            return;
        }

        await transitions.MoveAsync(id, DeploymentStatus.Starting, reason, cancellationToken: ct);
        await RunGuardedAsync(deployment, async () =>
        {
            await runtime.StartAsync(machine.MachineId, ct);
            await WaitUntilRunningAsync(deployment, runtime, machine, "Started and healthy", ct);
        }, ct);
    }

    private async Task StopLockedAsync(Guid id, string reason, CancellationToken ct)
    {
        var deployment = await LoadAsync(id, ct);
        if (deployment.Status == DeploymentStatus.Stopped)
        {
            return;
        }

        await transitions.MoveAsync(id, DeploymentStatus.Stopping, reason, cancellationToken: ct);
        await RunGuardedAsync(deployment, async () =>
        {
            if (deployment.MachineId is not null)
            {
                await runtimes.For(deployment.RuntimeKind).StopAsync(deployment.MachineId, ct);
            }

            await transitions.MoveAsync(id, DeploymentStatus.Stopped, "Stopped", cancellationToken: ct);
            await PublishMachineAsync(deployment.RuntimeKind, deployment.MachineId, ct);
        }, ct);
    }

    private async Task WaitUntilRunningAsync(Deployment deployment, IMachineRuntime runtime, MachineInfo machine, string reason, CancellationToken ct)
    {
        // A runtime that already gave up (e.g. Fly's own health wait) says so in the machine it returned.
        string? failure = machine.State == MachineState.Failed || machine is { Health: MachineHealth.Unhealthy, Detail: not null } ? machine.Detail ?? "The machine failed." : null;
        var ready = failure is null && await probe.WaitUntilReadyAsync(machine.UpstreamBaseUrl, Options.ReadyTimeout, async innerCt =>
        {
            // Stop waiting as soon as the runtime says the machine gave up.
            var now = await runtime.InspectAsync(machine.MachineId, innerCt);
            failure = now is null ? "The machine disappeared while starting." : now.State == MachineState.Failed ? now.Detail ?? "The machine failed." : null;
            return failure is null;
        }, ct);

        if (ready)
        {
            await transitions.MoveAsync(deployment.Id, DeploymentStatus.Running, reason,
                change: d => d.LastActivityAt ??= time.GetUtcNow(), cancellationToken: ct);
            await PublishMachineAsync(deployment.RuntimeKind, machine.MachineId, ct);
            return;
        }

        var tail = await runtime.GetLogTailAsync(machine.MachineId, Options.FailureLogLines, ct);
        var why = failure ?? $"The server did not become healthy within {Options.ReadyTimeout.TotalSeconds:0} seconds.";
        await transitions.MoveAsync(deployment.Id, DeploymentStatus.Failed, why, tail.Count == 0 ? null : string.Join('\n', tail), cancellationToken: ct);
    }

    /// <summary>Any runtime error ends the deployment Failed with the reason and the log tail, never half-way.</summary>
    private async Task RunGuardedAsync(Deployment deployment, Func<Task> action, CancellationToken ct)
    {
        try
        {
            await action();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogOperationFailed(logger, ex, deployment.Id);
            IReadOnlyList<string> tail = [];
            if (deployment.MachineId is not null)
            {
                try
                {
                    tail = await runtimes.For(deployment.RuntimeKind).GetLogTailAsync(deployment.MachineId, Options.FailureLogLines, CancellationToken.None);
                }
                catch (Exception tailError) when (tailError is not OperationCanceledException)
                {
                    LogOperationFailed(logger, tailError, deployment.Id);
                }
            }

            await transitions.MoveAsync(deployment.Id, DeploymentStatus.Failed, ex.Message,
                tail.Count == 0 ? null : string.Join('\n', tail), cancellationToken: CancellationToken.None);
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
