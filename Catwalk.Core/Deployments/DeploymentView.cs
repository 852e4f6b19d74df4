using Catwalk.Core.Machines;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Deployments;

/// <summary>What pages and the API show of a deployment: never a credential value or the token hash.</summary>
public sealed record DeploymentView(
    Guid Id,
    string OwnerId,
    string? OwnerEmail,
    string Name,
    string? RepoUrl,
    string Package,
    PackageRuntime Runtime,
    string? Version,
    DeploymentStatus Status,
    RuntimeKind RuntimeKind,
    string? MachineId,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastActivityAt)
{
    /// <summary>The server's arguments, as stored: secrets only as <c>${NAME}</c> references.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];
}
