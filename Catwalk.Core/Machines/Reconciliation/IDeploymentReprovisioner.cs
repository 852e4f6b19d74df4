namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>
/// Brings a deployment that should be running back on a new machine after its machine vanished. The deployment
/// lifecycle implements it (provision, wait for <c>/status</c>, record the transitions); when none is registered the
/// reconciler marks such deployments Failed with the reason instead.
/// </summary>
public interface IDeploymentReprovisioner
{
    /// <param name="reason">Why: which machine vanished from which runtime (for the deployment's events).</param>
    Task ReprovisionAsync(Guid deploymentId, string reason, CancellationToken cancellationToken);
}
