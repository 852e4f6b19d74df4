namespace Catwalk.Core.Machines.Admin;

/// <summary>One machine as the admin pages and API show it. <see cref="DeploymentId"/> is null, and
/// <see cref="OrphanReason"/> set, for a machine no deployment owns.</summary>
public sealed record MachineRow(
    string MachineId,
    Guid? DeploymentId,
    string? DeploymentName,
    string? OwnerId,
    string? OwnerEmail,
    RuntimeKind RuntimeKind,
    MachineState State,
    MachineHealth Health,
    string? Region,
    Uri UpstreamUrl,
    DateTimeOffset? LastCheckedAt,
    DateTimeOffset? StartedAt,
    string? OrphanReason,
    string? Detail)
{
    public bool IsOrphan => DeploymentId is null;
}
