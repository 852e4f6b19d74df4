using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fixtures;

namespace Catwalk.Tests.Machines;

/// <summary>
/// The machine contract (<see cref="IMachineRuntime"/>) as the lifecycle, the monitor and the forwarder rely on it, run
/// as one suite against every runtime: provision means accepted (health is the lifecycle's one wait, over the same
/// <c>/status</c> probe), a machine the runtime does not know is no exception except where acting on it, and a server
/// that dies is observed through <see cref="IMachineRuntime.InspectAsync"/> with a reason a user can read.
/// </summary>
public abstract class MachineRuntimeContract : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected IMachineRuntime Runtime { get; private set; } = null!;

    protected abstract RuntimeKind Kind { get; }

    /// <summary>What a crashed server's reason says (its exit code, as the runtime learns it).</summary>
    protected abstract string CrashReason { get; }

    public async ValueTask InitializeAsync() => Runtime = await StartRuntimeAsync();

    public abstract ValueTask DisposeAsync();

    protected abstract Task<IMachineRuntime> StartRuntimeAsync();

    /// <summary>An id shaped like this runtime's machine ids that it never gave out.</summary>
    protected abstract string UnknownMachineId { get; }

    /// <summary>A deployment whose server comes up and answers initialize.</summary>
    protected abstract MachineSpec HealthySpec();

    /// <summary>A deployment whose server dies after its machine was accepted.</summary>
    protected abstract MachineSpec CrashingSpec();

    [Fact]
    public async Task Provision_returns_once_the_machine_is_accepted_and_the_shared_status_probe_sees_it_become_ready()
    {
        var spec = HealthySpec();

        var accepted = await Runtime.ProvisionAsync(spec, Ct);

        accepted.RuntimeKind.Should().Be(Kind);
        accepted.DeploymentId.Should().Be(spec.DeploymentId);
        accepted.State.Should().NotBe(MachineState.Failed);
        accepted.Health.Should().NotBe(MachineHealth.Healthy, "provision does not wait for health: that is the lifecycle's one wait");
        Runtime.TryGetUpstream(accepted.MachineId, out var upstream).Should().BeTrue();
        upstream!.BaseUrl.Should().Be(accepted.UpstreamBaseUrl);

        var probe = new MachineStatusProbe(Http, TimeProvider.System);
        (await probe.WaitUntilReadyAsync(accepted.UpstreamBaseUrl, TimeSpan.FromSeconds(60), null, Ct)).Should().BeTrue();
        var running = await InspectUntilAsync(accepted.MachineId, m => m.State == MachineState.Started, "the machine is started");
        StartupWatch.WhyGiveUp(running).Should().BeNull();
        (await Runtime.ListAsync(Ct)).Should().ContainSingle(m => m.MachineId == accepted.MachineId).Which.DeploymentId.Should().Be(spec.DeploymentId);
    }

    [Fact]
    public async Task Provisioning_a_deployment_again_reuses_its_one_machine()
    {
        var spec = HealthySpec();

        var first = await Runtime.ProvisionAsync(spec, Ct);
        var second = await Runtime.ProvisionAsync(spec, Ct);

        second.MachineId.Should().Be(first.MachineId);
        (await Runtime.ListAsync(Ct)).Count(m => m.DeploymentId == spec.DeploymentId).Should().Be(1);
    }

    [Fact]
    public async Task A_machine_the_runtime_does_not_know_has_no_upstream_no_state_and_no_log_and_acting_on_it_says_why()
    {
        var unknown = UnknownMachineId;

        Runtime.TryGetUpstream(unknown, out var upstream).Should().BeFalse();
        upstream.Should().BeNull();
        (await Runtime.InspectAsync(unknown, Ct)).Should().BeNull();
        (await Runtime.GetLogTailAsync(unknown, 10, Ct)).Should().BeEmpty();
        await Runtime.DestroyAsync(unknown, Ct); // destroying what is already gone is not an error

        var stop = () => Runtime.StopAsync(unknown, Ct);
        var start = () => Runtime.StartAsync(unknown, Ct);
        (await stop.Should().ThrowAsync<MachineRuntimeException>()).Which.Message.Should().Contain(unknown);
        (await start.Should().ThrowAsync<MachineRuntimeException>()).Which.Message.Should().Contain(unknown);
    }

    [Fact]
    public async Task Stop_leaves_the_machine_stopped_and_start_is_accepted_and_brings_it_back()
    {
        var machine = await Runtime.ProvisionAsync(HealthySpec(), Ct);
        await InspectUntilAsync(machine.MachineId, m => m.State == MachineState.Started, "the machine is started");

        await Runtime.StopAsync(machine.MachineId, Ct);

        var stopped = await Runtime.InspectAsync(machine.MachineId, Ct);
        stopped!.State.Should().Be(MachineState.Stopped, "a stop returns once nothing runs");
        await Runtime.StopAsync(machine.MachineId, Ct); // stopping a stopped machine is not an error

        await Runtime.StartAsync(machine.MachineId, Ct);
        await InspectUntilAsync(machine.MachineId, m => m.State == MachineState.Started, "the machine is started again");
    }

    [Fact]
    public async Task Destroy_forgets_the_machine()
    {
        var machine = await Runtime.ProvisionAsync(HealthySpec(), Ct);

        await Runtime.DestroyAsync(machine.MachineId, Ct);

        (await Runtime.InspectAsync(machine.MachineId, Ct)).Should().BeNull();
        Runtime.TryGetUpstream(machine.MachineId, out _).Should().BeFalse();
        (await Runtime.ListAsync(Ct)).Should().NotContain(m => m.MachineId == machine.MachineId);
    }

    [Fact]
    public async Task A_server_that_dies_after_its_machine_was_accepted_is_observed_as_given_up_with_a_readable_reason()
    {
        var machine = await Runtime.ProvisionAsync(CrashingSpec(), Ct);

        var dead = await InspectUntilAsync(machine.MachineId, m => StartupWatch.WhyGiveUp(m) is not null, "the lifecycle's watch gives up");

        StartupWatch.WhyGiveUp(dead).Should().Contain(CrashReason);
        dead.Health.Should().NotBe(MachineHealth.Healthy);
    }

    [Fact]
    public async Task A_spec_that_breaks_the_package_rule_is_refused_before_anything_runs()
    {
        var hostile = HealthySpec() with { Package = "--registry=https://evil.example" };

        var provision = () => Runtime.ProvisionAsync(hostile, Ct);

        (await provision.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().NotBeNullOrWhiteSpace();
        (await Runtime.ListAsync(Ct)).Should().NotContain(m => m.DeploymentId == hostile.DeploymentId);
    }

    protected static MachineSpec SpecOf(string package, IReadOnlyDictionary<string, string>? environment = null) =>
        new(Guid.NewGuid(), package, PackageRuntime.Npm, null, environment ?? new Dictionary<string, string>());

    private async Task<MachineInfo> InspectUntilAsync(string machineId, Func<MachineInfo, bool> accept, string what) =>
        (await Eventually.ReturnsAsync(() => Runtime.InspectAsync(machineId, Ct), m => m is not null && accept(m), what,
            TimeSpan.FromSeconds(60)))!;
}
