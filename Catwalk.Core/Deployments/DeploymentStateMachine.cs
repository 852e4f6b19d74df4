using System.Collections.Frozen;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The deployment state machine as a pure table: for each event, the statuses it may happen in, the status it leads
/// to, and the reason recorded when the caller gives none. Every writer (create, user actions, wake, monitor,
/// reconciler) asks it through <see cref="DeploymentTransitions"/>; it touches no database, so it is tested alone.
/// </summary>
public static class DeploymentStateMachine
{
    private static readonly DeploymentStatus[] Any = Enum.GetValues<DeploymentStatus>();

    /// <summary>Where every deployment starts, and the reason its first event records.</summary>
    public const DeploymentStatus Initial = DeploymentStatus.Pending;

    public const string CreatedReason = "Created";

    /// <summary>The statuses in which a machine may run; Stopped and Failed mean nothing runs.</summary>
    public static readonly FrozenSet<DeploymentStatus> Live = new[]
    {
        DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy, DeploymentStatus.Stopping,
    }.ToFrozenSet();

    /// <summary>The table. <c>To = null</c> keeps the status (the event records something else about the row).</summary>
    public static readonly IReadOnlyList<DeploymentTransitionRule> Rules =
    [
        new(DeploymentTrigger.Provision, DeploymentStatus.Provisioning, "Provisioning a machine",
            [DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy,
             DeploymentStatus.Stopped, DeploymentStatus.Failed]),
        new(DeploymentTrigger.MachineAccepted, DeploymentStatus.Starting, "Machine accepted; waiting for the server to answer initialize",
            [DeploymentStatus.Provisioning]),
        new(DeploymentTrigger.Start, DeploymentStatus.Starting, "Start requested",
            [DeploymentStatus.Stopped, DeploymentStatus.Failed, DeploymentStatus.Running, DeploymentStatus.Unhealthy, DeploymentStatus.Starting]),
        // A failed deployment is not woken by traffic: it failed for a reason someone has to read first.
        new(DeploymentTrigger.Wake, DeploymentStatus.Starting, "Woken by a request", [DeploymentStatus.Stopped]),
        new(DeploymentTrigger.Redeploy, DeploymentStatus.Starting, "Redeploying",
            [DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy, DeploymentStatus.Stopped, DeploymentStatus.Failed]),
        new(DeploymentTrigger.BecameHealthy, DeploymentStatus.Running, "Healthy: the server answered initialize", [DeploymentStatus.Starting]),
        new(DeploymentTrigger.Stop, DeploymentStatus.Stopping, "Stop requested",
            [DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy,
             DeploymentStatus.Failed]),
        new(DeploymentTrigger.MachineStopped, DeploymentStatus.Stopped, "Stopped", [DeploymentStatus.Stopping]),
        new(DeploymentTrigger.Fail, DeploymentStatus.Failed, "Failed",
            [DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy,
             DeploymentStatus.Stopping, DeploymentStatus.Stopped]),
        new(DeploymentTrigger.HealthCheckFailed, DeploymentStatus.Unhealthy, "Health check failed", [DeploymentStatus.Running]),
        new(DeploymentTrigger.Recovered, DeploymentStatus.Running, "Recovered: /status answers 200", [DeploymentStatus.Unhealthy]),
        new(DeploymentTrigger.Delete, DeploymentStatus.Deleting, "Delete requested", [.. Any.Where(s => s != DeploymentStatus.Deleting)]),
        new(DeploymentTrigger.FoundStarted, DeploymentStatus.Running, "The machine is running: drift corrected",
            [DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Stopping, DeploymentStatus.Stopped]),
        new(DeploymentTrigger.FoundStopped, DeploymentStatus.Stopped, "The machine is stopped: drift corrected",
            [DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running, DeploymentStatus.Unhealthy, DeploymentStatus.Stopping]),
        new(DeploymentTrigger.MachineRecorded, null, "Machine recorded", [.. Any.Where(s => s != DeploymentStatus.Deleting)]),
    ];

    private static readonly FrozenDictionary<DeploymentTrigger, DeploymentTransitionRule> ByTrigger = Rules.ToFrozenDictionary(r => r.Trigger);

    /// <summary>What <paramref name="trigger"/> does to a deployment in <paramref name="from"/>: the new status and the
    /// reason to record, or why it may not happen (<paramref name="errorMessage"/> is a failed deployment's error: its
    /// reason, then perhaps a log tail on the following lines).</summary>
    public static DeploymentTransitionDecision Decide(DeploymentStatus from, DeploymentTrigger trigger, string? errorMessage = null)
    {
        var rule = ByTrigger[trigger];
        if (rule.From.Contains(from))
        {
            return DeploymentTransitionDecision.Allowed(rule.To ?? from, rule.Reason);
        }

        return DeploymentTransitionDecision.Refused(from switch
        {
            // The first line is the reason; a log tail may follow it.
            DeploymentStatus.Failed => $"failed: {errorMessage?.Split('\n', 2)[0].TrimEnd('.', ' ') ?? "no reason was recorded"}; restart it",
            DeploymentStatus.Deleting => "the deployment is being deleted",
            _ => $"a {from.ToString().ToLowerInvariant()} deployment cannot {Describe(trigger)}",
        });
    }

    /// <summary>Entering these statuses stops the machine first (nothing runs in them).</summary>
    public static bool StopsTheMachine(DeploymentStatus to) => to is DeploymentStatus.Failed or DeploymentStatus.Stopped;

    private static string Describe(DeploymentTrigger trigger) => trigger switch
    {
        DeploymentTrigger.Provision => "be provisioned now",
        DeploymentTrigger.MachineAccepted => "accept a new machine now",
        DeploymentTrigger.Start => "be started now",
        DeploymentTrigger.Wake => "be woken now",
        DeploymentTrigger.Redeploy => "be redeployed now",
        DeploymentTrigger.BecameHealthy => "become running now",
        DeploymentTrigger.Stop => "be stopped now",
        DeploymentTrigger.MachineStopped => "become stopped now",
        DeploymentTrigger.Fail => "fail now",
        DeploymentTrigger.HealthCheckFailed => "become unhealthy",
        DeploymentTrigger.Recovered => "recover",
        DeploymentTrigger.Delete => "be deleted now",
        DeploymentTrigger.FoundStarted => "be corrected to running",
        DeploymentTrigger.FoundStopped => "be corrected to stopped",
        _ => "change now",
    };
}

/// <summary>One row of the table: the event, the status it leads to (null: unchanged), its default reason, and the
/// statuses it may happen in.</summary>
public sealed record DeploymentTransitionRule(DeploymentTrigger Trigger, DeploymentStatus? To, string Reason, IReadOnlyList<DeploymentStatus> From);

/// <summary>The table's answer: allowed (to <see cref="To"/>, recording <see cref="Reason"/>) or refused (<see cref="Refusal"/>).</summary>
public sealed record DeploymentTransitionDecision(bool IsAllowed, DeploymentStatus To, string Reason, string? Refusal)
{
    public static DeploymentTransitionDecision Allowed(DeploymentStatus to, string reason) => new(true, to, reason, null);

    public static DeploymentTransitionDecision Refused(string why) => new(false, default, "", why);
}
