namespace Catwalk.Tests.Fakes.FlyMachines;

/// <summary>Ready-made <see cref="IFakeMachineUpstream"/>s.</summary>
public static class FakeMachineUpstreams
{
    /// <summary>Every started machine answers from the same base URL (e.g. one local bridge).</summary>
    public static IFakeMachineUpstream Fixed(Uri baseUrl) => From((_, _) => Task.FromResult<Uri?>(baseUrl));

    /// <summary>Per machine: <paramref name="start"/> gets the machine (its env says what to run) and returns its base URL;
    /// <paramref name="stop"/> tears it down when the machine stops, is updated or destroyed.</summary>
    public static IFakeMachineUpstream From(
        Func<FakeMachine, CancellationToken, Task<Uri?>> start, Func<FakeMachine, CancellationToken, Task>? stop = null) =>
        new Delegating(start, stop ?? ((_, _) => Task.CompletedTask));

    private sealed class Delegating(Func<FakeMachine, CancellationToken, Task<Uri?>> start, Func<FakeMachine, CancellationToken, Task> stop)
        : IFakeMachineUpstream
    {
        public Task<Uri?> StartAsync(FakeMachine machine, CancellationToken cancellationToken) => start(machine, cancellationToken);

        public Task StopAsync(FakeMachine machine, CancellationToken cancellationToken) => stop(machine, cancellationToken);
    }
}
