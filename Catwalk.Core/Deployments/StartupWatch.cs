using System.Diagnostics;
using Catwalk.Core.Machines;

namespace Catwalk.Core.Deployments;

/// <summary>
/// What the lifecycle's one health wait concludes from the machine's state, the same for every runtime: a machine
/// that is gone, failed, or stopped (crashed after being accepted or after <c>started</c>) will not answer
/// <c>/status</c>, so the attempt fails at once with the runtime's reason instead of at <c>CATWALK_READY_TIMEOUT</c>.
/// </summary>
public sealed class StartupWatch
{
    /// <summary>
    /// How long a machine may still read <c>stopped</c> after its start was accepted before that means it crashed, when it
    /// was not seen awake meanwhile: Fly answers a start before the machine's state moves on.
    /// </summary>
    public static readonly TimeSpan StoppedGrace = TimeSpan.FromSeconds(10);

    private readonly long _accepted = Stopwatch.GetTimestamp();
    private bool _seenAwake;

    /// <summary>
    /// One more look at the machine of the attempt this watch began with (made when the runtime accepted the start):
    /// why to give up now, or null. A stopped machine counts as crashed once it was seen awake or the grace is over.
    /// </summary>
    public string? Observe(MachineInfo? machine)
    {
        _seenAwake |= machine is { State: not MachineState.Stopped };
        return WhyGiveUp(machine, _seenAwake || Stopwatch.GetElapsedTime(_accepted) > StoppedGrace);
    }

    /// <summary>Why to give up on the attempt now, or null to keep waiting.</summary>
    /// <param name="stoppedMeansCrashed">False while a stopped machine may simply not have begun its accepted start yet.</param>
    public static string? WhyGiveUp(MachineInfo? machine, bool stoppedMeansCrashed = true) => machine switch
    {
        null => "The machine disappeared while starting.",
        { State: MachineState.Destroying or MachineState.Destroyed } => "The machine was destroyed while starting.",
        { State: MachineState.Failed } => machine.Reason ?? "The machine failed.",
        { State: MachineState.Stopped } when stoppedMeansCrashed => machine.Reason is { } reason
            ? $"The machine stopped before the server answered /status. {reason}"
            : "The machine stopped before the server answered /status.",
        _ => null,
    };
}
