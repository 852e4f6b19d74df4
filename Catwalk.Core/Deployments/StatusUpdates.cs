using System.Text.Json.Serialization;
using Catwalk.Core.Machines;

namespace Catwalk.Core.Deployments;

/// <summary>Something the status feed tells its subscribers. The type names below are the wire names other Catwalk
/// instances read (see <see cref="Cluster.ClusterFeedMessage"/>): renaming one breaks a rolling deploy.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DeploymentStatusChanged), "status")]
[JsonDerivedType(typeof(MachineObserved), "machine")]
[JsonDerivedType(typeof(MachineRemoved), "machine-removed")]
[JsonDerivedType(typeof(DeploymentTokenRotated), "token-rotated")]
[JsonDerivedType(typeof(OAuthApprovalRevoked), "oauth-revoked")]
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

/// <summary>This instance may have missed other instances' updates (its connection to the database was lost): whatever
/// was cached from the database may be stale. Never crosses instances; sent again once updates flow.</summary>
public sealed record StatusFeedInterrupted(bool Listening, DateTimeOffset At) : StatusUpdate(At);
