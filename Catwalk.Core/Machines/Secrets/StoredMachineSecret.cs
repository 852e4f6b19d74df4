using Catwalk.Core.Deployments;

namespace Catwalk.Core.Machines.Secrets;

/// <summary>A machine's current secret (<see cref="MachineSecret"/>), kept only as a Fernet token like a credential.</summary>
public sealed class StoredMachineSecret
{
    public required string MachineId { get; set; }

    public Guid DeploymentId { get; set; }

    public Deployment? Deployment { get; set; }

    public required string FernetToken { get; set; }

    /// <summary>When this secret was given to the machine (created, or rotated by a redeploy).</summary>
    public DateTimeOffset IssuedAt { get; set; }
}
