namespace Catwalk.Core.Deployments;

/// <summary>A lifecycle action that was accepted: <see cref="Accepted"/> is the row as its first transition wrote it
/// (what an answer reports), <see cref="Completion"/> the rest of the work, running in the background.</summary>
public sealed record DeploymentOperation(Deployment Accepted, Task Completion);

/// <summary>What waking a deployment for a request gave: running, or the reason it is not (for the 503).</summary>
public sealed record DeploymentWake(bool IsRunning, string? Problem)
{
    public static readonly DeploymentWake Running = new(true, null);
}
