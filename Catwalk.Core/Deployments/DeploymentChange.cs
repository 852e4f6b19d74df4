namespace Catwalk.Core.Deployments;

/// <summary>Columns a transition writes together with the status (in the same compare-and-set).</summary>
public sealed record DeploymentChange
{
    /// <summary>When set, the machine id to record (an empty string forgets the machine).</summary>
    public string? MachineId { get; init; }

    /// <summary>When set, the package version to record (an empty string means "latest").</summary>
    public string? PackageVersion { get; init; }

    /// <summary>Starts the idle clock if it never started.</summary>
    public bool MarkActive { get; init; }

    public static DeploymentChange RecordMachine(string machineId) => new() { MachineId = machineId };

    public static DeploymentChange ForgetMachine() => new() { MachineId = "" };
}
