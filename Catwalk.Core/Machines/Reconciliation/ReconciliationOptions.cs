namespace Catwalk.Core.Machines.Reconciliation;

/// <summary>How often and how boldly the reconciler acts.</summary>
public sealed class ReconciliationOptions
{
    /// <summary><c>CATWALK_RECONCILE_INTERVAL</c>: time between rounds (one also runs at start-up).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary><c>CATWALK_RECONCILE_SETTLE_TIME</c>: a deployment in Provisioning, Starting, Stopping or Deleting is the
    /// lifecycle's business for this long; after that it is treated as stuck and reconciled like the others.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>CATWALK_ORPHAN_CLEANUP_MIN_AGE</c>: when set, orphan machines at least this old are destroyed
    /// automatically. Unset (the default): orphans are only reported, never destroyed without an admin.</summary>
    public TimeSpan? OrphanCleanupMinAge { get; set; }
}
