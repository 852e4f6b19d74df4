using System.Globalization;

namespace Catwalk.Core.Machines.Fly;

/// <summary>Reads Fly's machine states, checks and events in the machine contract's terms.</summary>
public static class FlyMachineStates
{
    public static MachineState ToMachineState(string? state) => state switch
    {
        "created" => MachineState.Created,
        "starting" or "replacing" or "updating" => MachineState.Starting,
        "started" => MachineState.Started,
        "stopping" or "suspending" => MachineState.Stopping,
        "stopped" or "suspended" => MachineState.Stopped,
        "destroying" => MachineState.Destroying,
        "destroyed" => MachineState.Destroyed,
        "failed" => MachineState.Failed,
        _ => MachineState.Unknown,
    };

    public static bool IsGone(string? state) => state is "destroying" or "destroyed";

    /// <summary>Healthy when every check passes, Unhealthy when one is critical, else Unknown (also when not started).</summary>
    public static MachineHealth HealthOf(FlyMachine machine)
    {
        if (machine.State != "started" || machine.Checks is not { Count: > 0 } checks)
        {
            return MachineHealth.Unknown;
        }

        if (checks.Any(c => c.Status == "critical"))
        {
            return MachineHealth.Unhealthy;
        }

        return checks.All(c => c.Status == "passing") ? MachineHealth.Healthy : MachineHealth.Unknown;
    }

    public static DateTimeOffset? LastCheckedAt(FlyMachine machine) =>
        machine.Checks?.Select(c => c.UpdatedAt).Where(at => at is not null).Max();

    /// <summary>When the current run started: the newest start event, if the machine is running.</summary>
    public static DateTimeOffset? StartedAt(FlyMachine machine) =>
        machine.State != "started"
            ? null
            : machine.Events?.Where(e => e.Type == "start" && e.Status == "started").Select(e => e.At).Where(at => at is not null).Max();

    /// <summary>Why the machine is in its state, when Fly says so (the last exit, a failing check).</summary>
    public static string? DetailOf(FlyMachine machine)
    {
        var lastExit = machine.Events?.Where(e => e.Type == "exit").OrderBy(e => e.Timestamp).LastOrDefault();
        if (machine.State is "stopped" or "failed" && lastExit?.Request?.ExitEvent is { RequestedStop: not true } exit)
        {
            return DescribeExit(exit);
        }

        if (machine.State == "failed")
        {
            return "Fly reports the machine as failed.";
        }

        return machine.State == "started" && machine.Checks?.FirstOrDefault(c => c.Status == "critical") is { } check
            ? $"Fly's check '{check.Name}' is critical{(string.IsNullOrWhiteSpace(check.Output) ? "" : ": " + Shorten(check.Output))}."
            : null;
    }

    /// <summary>The machine's event log as lines, oldest first (Fly keeps the server's own output in its log service).</summary>
    public static IReadOnlyList<string> EventLines(FlyMachine machine, int lines) =>
        (machine.Events ?? [])
            .OrderBy(e => e.Timestamp)
            .Select(e =>
            {
                var at = e.At?.ToString("u", CultureInfo.InvariantCulture) ?? "?";
                var exit = e.Request?.ExitEvent is { } x ? " — " + DescribeExit(x) : "";
                return $"{at} {e.Type} {e.Status}{exit}";
            })
            .TakeLast(Math.Max(0, lines))
            .ToList();

    private static string DescribeExit(FlyExitEvent exit) =>
        exit.OomKilled == true
            ? "The server ran out of memory and was killed (raise FLY_MCP_MEMORY_MB)."
            : $"The server exited with code {exit.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}.";

    private static string Shorten(string value) => value.Length <= 200 ? value.Trim() : value[..197].Trim() + "...";
}
