namespace Catwalk.Web.Api;

/// <summary>A machine as <c>GET /api/admin/machines</c> shows it; <see cref="DeploymentId"/> is null for an orphan.</summary>
public sealed record MachineResponse(
    string MachineId,
    Guid? DeploymentId,
    string? DeploymentName,
    string? Owner,
    string RuntimeKind,
    string State,
    string Health,
    string? Region,
    Uri UpstreamUrl,
    DateTimeOffset? LastCheckedAt,
    DateTimeOffset? StartedAt,
    string? OrphanReason);
