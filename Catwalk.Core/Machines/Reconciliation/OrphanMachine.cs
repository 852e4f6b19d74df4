namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>A machine a runtime runs for Catwalk that no deployment owns.</summary>
/// <param name="Reason">Why it counts as an orphan (untagged, its deployment is gone, ...).</param>
/// <param name="FirstSeenAt">When the reconciler first saw it orphaned (its age when the runtime does not say).</param>
public sealed record OrphanMachine(MachineInfo Machine, string Reason, DateTimeOffset FirstSeenAt)
{
    public DateTimeOffset BornAt => Machine.CreatedAt is { } created && created < FirstSeenAt ? created : FirstSeenAt;
}
