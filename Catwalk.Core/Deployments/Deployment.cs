using Catwalk.Core.Machines;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Deployments;

/// <summary>One MCP server a user runs through Catwalk, and the machine it runs on.</summary>
public sealed class Deployment
{
    public Guid Id { get; set; }

    /// <summary>The owning user's id (ASP.NET Core Identity user id).</summary>
    public required string OwnerId { get; set; }

    public required string Name { get; set; }

    public string? RepoUrl { get; set; }

    public required string Package { get; set; }

    public PackageRuntime Runtime { get; set; }

    public string? PackageVersion { get; set; }

    /// <summary>What follows the package on the server's command line; secrets appear only as <c>${NAME}</c> references.</summary>
    public List<string> Arguments { get; set; } = [];

    public DeploymentStatus Status { get; set; }

    public RuntimeKind RuntimeKind { get; set; }

    public string? MachineId { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>SHA-256 of the per-deployment access token; the token itself is never stored.</summary>
    public required string AccessTokenHash { get; set; }

    public DateTimeOffset? LastActivityAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<DeploymentEvent> Events { get; set; } = [];
}
