namespace Catwalk.Core.Machines.Admin;

/// <summary>An admin action on a machine that cannot be done as asked; the message says why and what to do.</summary>
public sealed class MachineActionException(string message) : Exception(message);
