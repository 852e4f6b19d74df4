namespace Catwalk.Core.Deployments;

/// <summary>One recorded transition of a deployment's status.</summary>
public sealed class DeploymentEvent
{
    public long Id { get; set; }

    public Guid DeploymentId { get; set; }

    public DateTimeOffset At { get; set; }

    public DeploymentStatus? FromStatus { get; set; }

    public DeploymentStatus ToStatus { get; set; }

    public required string Reason { get; set; }

    public string? Detail { get; set; }
}
