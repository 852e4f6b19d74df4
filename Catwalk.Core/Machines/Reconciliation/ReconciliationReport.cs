namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>What one reconciliation round saw and did.</summary>
public sealed record ReconciliationReport(
    DateTimeOffset At,
    IReadOnlyList<ReconciliationAction> Actions,
    IReadOnlyList<OrphanMachine> Orphans,
    IReadOnlyList<string> SkippedRuntimes);

/// <summary>One correction: the deployment, what was done, and why.</summary>
public sealed record ReconciliationAction(Guid DeploymentId, string Action, string Reason);
