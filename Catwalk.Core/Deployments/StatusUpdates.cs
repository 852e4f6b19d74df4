using Catwalk.Core.Machines;

namespace Catwalk.Core.Deployments;

/// <summary>Something the status feed tells its subscribers.</summary>
public abstract record StatusUpdate(DateTimeOffset At);

/// <summary>A deployment moved from one status to another (already written to the database).</summary>
public sealed record DeploymentStatusChanged(
    Guid DeploymentId,
    string OwnerId,
    DeploymentStatus? From,
    DeploymentStatus To,
    string Reason,
    string? Detail,
    DateTimeOffset At) : StatusUpdate(At);

/// <summary>The monitor looked at a machine (state, health, last check).</summary>
public sealed record MachineObserved(MachineInfo Machine, DateTimeOffset At) : StatusUpdate(At);

/// <summary>A machine is gone (destroyed by Catwalk or vanished).</summary>
public sealed record MachineRemoved(string MachineId, DateTimeOffset At) : StatusUpdate(At);

/// <summary>A deployment's access token was replaced: whoever holds the old one must be refused from now on.</summary>
public sealed record DeploymentTokenRotated(Guid DeploymentId, DateTimeOffset At) : StatusUpdate(At);

/// <summary>An OAuth approval of a deployment was revoked (Disconnect): its access tokens must be refused from now on.</summary>
public sealed record OAuthApprovalRevoked(string ApprovalId, Guid DeploymentId, DateTimeOffset At) : StatusUpdate(At);
