namespace Catwalk.Core.Machines.Fly;

/// <summary>A machine did not do what Catwalk asked (start, stop) in time, or went away; the message says why.</summary>
public sealed class FlyMachineFailedException : Exception
{
    public FlyMachineFailedException()
    {
    }

    public FlyMachineFailedException(string message)
        : base(message)
    {
    }

    public FlyMachineFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FlyMachineFailedException(string machineId, string message)
        : base(message) => MachineId = machineId;

    public string? MachineId { get; }
}
