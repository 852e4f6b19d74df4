namespace Catwalk.Core.Deployments;

/// <summary>
/// The deployment lifecycle: Pending → Provisioning → Starting → Running ⇄ Stopped,
/// with Unhealthy (recovering) and Failed (gave up, with a reason).
/// </summary>
public enum DeploymentStatus
{
    Pending,
    Provisioning,
    Starting,
    Running,
    Stopping,
    Stopped,
    Unhealthy,
    Failed,
    Deleting,
}
