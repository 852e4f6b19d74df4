using Catwalk.Core.Accounts;
using Catwalk.Core.Machines.Admin;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Every action a person takes on a deployment or a machine, for the API and the pages alike: checks that the viewer
/// may act (their own deployment, any for an admin; machines for admins only), has the lifecycle do it, and writes the
/// audit entry under the names in <see cref="AuditActions"/>. <paramref name="auditDetail"/> of each method says where
/// the action came from ("API, token 'ci'", "web UI: name"); it is never a secret.
/// </summary>
public sealed class DeploymentCommands(
    DeploymentQueries queries,
    DeploymentLifecycle lifecycle,
    MachineDirectory machines,
    DeploymentOperationGate gate,
    AuditLog audit)
{
    public async Task<CreatedDeployment> CreateAsync(Viewer viewer, CreateDeploymentRequest request, string auditDetail, CancellationToken cancellationToken)
    {
        var created = await lifecycle.CreateAsync(request with { OwnerId = viewer.UserId }, cancellationToken);
        await audit.RecordAsync(viewer.UserId, AuditActions.DeploymentCreated, created.Deployment.Id.ToString(), auditDetail, cancellationToken);
        return created;
    }

    public Task<DeploymentOperation> StopAsync(Viewer viewer, Guid id, string reason, string auditDetail, CancellationToken cancellationToken) =>
        ActAsync(viewer, id, AuditActions.DeploymentStopped, auditDetail, ct => lifecycle.BeginStopAsync(id, reason, ct), cancellationToken);

    public Task<DeploymentOperation> StartAsync(Viewer viewer, Guid id, string reason, string auditDetail, CancellationToken cancellationToken) =>
        ActAsync(viewer, id, AuditActions.DeploymentStarted, auditDetail, ct => lifecycle.BeginStartAsync(id, reason, ct), cancellationToken);

    public Task<DeploymentOperation> RestartAsync(Viewer viewer, Guid id, string auditDetail, CancellationToken cancellationToken) =>
        ActAsync(viewer, id, AuditActions.DeploymentRestarted, auditDetail, ct => lifecycle.BeginRestartAsync(id, ct), cancellationToken);

    public Task<DeploymentOperation> DeleteAsync(Viewer viewer, Guid id, string auditDetail, CancellationToken cancellationToken) =>
        ActAsync(viewer, id, AuditActions.DeploymentDeleted, auditDetail, ct => lifecycle.BeginDeleteAsync(id, ct), cancellationToken);

    /// <summary>Replaces every credential (and/or the version) and runs the server again with them.</summary>
    public Task<DeploymentOperation> RedeployAsync(Viewer viewer, Guid id, IReadOnlyDictionary<string, string>? environment, string? version,
        string auditDetail, CancellationToken cancellationToken) =>
        ActAsync(viewer, id, AuditActions.DeploymentCredentialsReplaced, auditDetail,
            ct => lifecycle.BeginRedeployAsync(id, environment, version, ct), cancellationToken);

    /// <summary>The new access token (shown once); the old one stops working at once.</summary>
    public async Task<string> RotateTokenAsync(Viewer viewer, Guid id, string auditDetail, CancellationToken cancellationToken)
    {
        await RequireVisibleAsync(viewer, id, cancellationToken);
        var token = await lifecycle.RotateTokenAsync(id, cancellationToken);
        await audit.RecordAsync(viewer.UserId, AuditActions.DeploymentTokenRotated, id.ToString(), auditDetail, cancellationToken);
        return token;
    }

    /// <summary>Admins: stops the machine (through its deployment's lifecycle when it has one) in the background.</summary>
    public Task<MachineOperation> StopMachineAsync(Viewer viewer, string machineId, string auditDetail, CancellationToken cancellationToken) =>
        ActOnMachineAsync(viewer, machineId, AuditActions.MachineStopped, auditDetail, ct => machines.StopAsync(machineId, ct), cancellationToken);

    /// <summary>Admins: starts the machine (through its deployment's lifecycle when it has one) in the background.</summary>
    public Task<MachineOperation> StartMachineAsync(Viewer viewer, string machineId, string auditDetail, CancellationToken cancellationToken) =>
        ActOnMachineAsync(viewer, machineId, AuditActions.MachineStarted, auditDetail, ct => machines.StartAsync(machineId, ct), cancellationToken);

    /// <summary>Admins: destroys an orphan machine (a deployment's machine is refused: delete the deployment).</summary>
    public async Task DestroyMachineAsync(Viewer viewer, string machineId, string auditDetail, CancellationToken cancellationToken)
    {
        RequireAdmin(viewer);
        await machines.DestroyAsync(machineId, cancellationToken);
        await audit.RecordAsync(viewer.UserId, AuditActions.MachineDestroyed, machineId, auditDetail, cancellationToken);
    }

    private async Task<DeploymentOperation> ActAsync(Viewer viewer, Guid id, string action, string auditDetail,
        Func<CancellationToken, Task<DeploymentOperation>> begin, CancellationToken cancellationToken)
    {
        await RequireVisibleAsync(viewer, id, cancellationToken);
        var operation = await begin(cancellationToken);
        await audit.RecordAsync(viewer.UserId, action, id.ToString(), auditDetail, cancellationToken);
        return operation;
    }

    private async Task<MachineOperation> ActOnMachineAsync(Viewer viewer, string machineId, string action, string auditDetail,
        Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        RequireAdmin(viewer);
        var row = await machines.FindAsync(machineId, cancellationToken) ?? throw new MachineNotFoundException(machineId);
        await audit.RecordAsync(viewer.UserId, action, machineId, auditDetail, cancellationToken);
        return new MachineOperation(row, gate.Track(() => work(gate.ShutdownToken)));
    }

    /// <summary>Another user's deployment is "not found", never "forbidden": its existence is not theirs to learn.</summary>
    private async Task RequireVisibleAsync(Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        if (await queries.FindAsync(viewer, id, cancellationToken) is null)
        {
            throw new DeploymentNotFoundException(id);
        }
    }

    private static void RequireAdmin(Viewer viewer)
    {
        if (!viewer.IsAdmin)
        {
            throw new UnauthorizedAccessException("Only admins act on machines.");
        }
    }
}

/// <summary>A machine action that was accepted: the machine as it was, and the work running in the background.</summary>
public sealed record MachineOperation(MachineRow Machine, Task Completion);
