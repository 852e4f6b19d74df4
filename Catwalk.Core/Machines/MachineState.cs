namespace Catwalk.Core.Machines;

/// <summary>A machine's state as its runtime reports it.</summary>
public enum MachineState
{
    Unknown,
    Created,
    Starting,
    Started,
    Stopping,
    Stopped,
    Destroying,
    Destroyed,
    Failed,
}

/// <summary>The result of the last <c>/status</c> check.</summary>
public enum MachineHealth
{
    Unknown,
    Healthy,
    Unhealthy,
}
