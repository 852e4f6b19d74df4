namespace Catwalk.Core.Deployments;

/// <summary>What a transition did: moved the row (<see cref="Deployment"/> is the row just written), or not, and why.</summary>
public sealed record DeploymentTransitionResult(DeploymentTransitionOutcome Outcome, Deployment? Deployment, string? Refusal)
{
    public bool Moved => Outcome == DeploymentTransitionOutcome.Moved;

    /// <summary>The row just written; throws (with the reason) when the transition did not happen.</summary>
    public Deployment Written(Guid id) => Outcome switch
    {
        DeploymentTransitionOutcome.Moved => Deployment!,
        DeploymentTransitionOutcome.NotFound => throw new DeploymentNotFoundException(id),
        _ => throw new DeploymentTransitionRefusedException(id, Refusal ?? "the deployment changed meanwhile"),
    };
}

public enum DeploymentTransitionOutcome
{
    Moved,
    NotFound,

    /// <summary>The state machine does not allow the event in the deployment's status.</summary>
    Refused,

    /// <summary>Another writer changed the row since the caller read it (compare-and-set lost).</summary>
    ChangedMeanwhile,
}

/// <summary>The deployment's status does not allow the action; the message is written for the user.</summary>
public sealed class DeploymentTransitionRefusedException(Guid id, string refusal) : Exception($"Deployment {id}: {refusal}.")
{
    public Guid DeploymentId { get; } = id;

    public string Refusal { get; } = refusal;
}
