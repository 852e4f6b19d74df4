using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;

namespace Catwalk.Tests.Deployments;

/// <summary>What the lifecycle's one health wait concludes from a machine's state: no database, no runtime.</summary>
public sealed class StartupWatchTests
{
    private static MachineInfo Machine(MachineState state, string? detail = null) =>
        new("m1", Guid.NewGuid(), RuntimeKind.Fly, state, MachineHealth.Unknown, "iad", new Uri("http://m1.internal:8080/"), null, null, null, detail);

    [Theory]
    [InlineData(MachineState.Created)]
    [InlineData(MachineState.Starting)]
    [InlineData(MachineState.Started)]
    [InlineData(MachineState.Stopping)]
    [InlineData(MachineState.Unknown)]
    public void A_machine_on_its_way_up_is_waited_for(MachineState state) =>
        StartupWatch.WhyGiveUp(Machine(state)).Should().BeNull();

    [Fact]
    public void A_machine_that_stopped_after_being_accepted_gives_up_with_the_runtimes_reason_and_not_its_log() =>
        StartupWatch.WhyGiveUp(Machine(MachineState.Stopped, "The server exited with code 1.\nline one\nline two"))
            .Should().Be("The machine stopped before the server answered /status. The server exited with code 1.");

    [Fact]
    public void A_machine_still_stopped_just_after_its_start_was_accepted_is_waited_for() =>
        StartupWatch.WhyGiveUp(Machine(MachineState.Stopped, "exited with code 0"), stoppedMeansCrashed: false).Should().BeNull();

    [Fact]
    public void A_watch_waits_for_a_machine_not_yet_awake_and_gives_up_when_it_stops_after_being_seen_awake()
    {
        var watch = new StartupWatch();

        watch.Observe(Machine(MachineState.Stopped)).Should().BeNull("the start was just accepted");
        watch.Observe(Machine(MachineState.Started)).Should().BeNull();
        watch.Observe(Machine(MachineState.Stopped, "exited with code 1")).Should().StartWith("The machine stopped before the server answered /status.");
    }

    [Fact]
    public void A_failed_machine_gives_up_with_the_runtimes_reason() =>
        StartupWatch.WhyGiveUp(Machine(MachineState.Failed, "The server did not speak MCP on stdio; it may need an argument such as `--stdio`."))
            .Should().StartWith("The server did not speak MCP on stdio");

    [Theory]
    [InlineData(MachineState.Destroying)]
    [InlineData(MachineState.Destroyed)]
    public void A_destroyed_machine_gives_up(MachineState state) =>
        StartupWatch.WhyGiveUp(Machine(state)).Should().Contain("destroyed");

    [Fact]
    public void A_machine_the_runtime_no_longer_has_gives_up() =>
        StartupWatch.WhyGiveUp(null).Should().Be("The machine disappeared while starting.");

    [Fact]
    public void A_stopped_or_failed_machine_without_a_reason_still_says_what_happened()
    {
        StartupWatch.WhyGiveUp(Machine(MachineState.Stopped)).Should().Be("The machine stopped before the server answered /status.");
        StartupWatch.WhyGiveUp(Machine(MachineState.Failed)).Should().Be("The machine failed.");
    }
}
