namespace Catwalk.Core.Machines;

/// <summary>
/// The one exception every runtime throws when a machine did not do what it was told (create, start, stop, update) or
/// is gone; its message is the reason a deployment's Failed status shows the user.
/// </summary>
public class MachineRuntimeException : Exception
{
    public MachineRuntimeException()
    {
    }

    public MachineRuntimeException(string message)
        : base(message)
    {
    }

    public MachineRuntimeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public MachineRuntimeException(string machineId, string message)
        : base(message) => MachineId = machineId;

    /// <summary>The machine concerned, when there is one.</summary>
    public string? MachineId { get; }

    /// <summary>The reason to show for a failed operation: a runtime's own words, else the exception's message.</summary>
    public static string ReasonOf(Exception exception) => exception switch
    {
        MachineRuntimeException runtime => runtime.Message,
        ArgumentException argument => argument.Message.Split(" (Parameter", 2)[0],
        _ => exception.Message,
    };
}
