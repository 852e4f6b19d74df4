namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// How Catwalk marks its machines. The name is deterministic per deployment and unique per app, so a create whose
/// answer was lost can be found again instead of made twice.
/// </summary>
public static class FlyMachineNaming
{
    public const string DeploymentKey = "catwalk_deployment";

    /// <summary>Changes with every create and update: tells whether an update whose answer was lost took effect.</summary>
    public const string RevisionKey = "catwalk_revision";

    public static string NameFor(Guid deploymentId) => $"catwalk-{deploymentId:N}";

    public static Guid? DeploymentOf(FlyMachine machine) =>
        Guid.TryParse(machine.Metadata(DeploymentKey), out var id) ? id : null;
}
