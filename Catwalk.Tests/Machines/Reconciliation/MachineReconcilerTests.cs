using System.Collections.Concurrent;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Reconciliation;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Machines.Reconciliation;

public sealed class MachineReconcilerTests(PostgresServer postgres) : IAsyncLifetime
{
    private FakeFlyMachinesApi _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeFlyMachinesApi.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_machine_stopped_behind_catwalks_back_moves_its_running_deployment_to_stopped_with_a_reason()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var machine = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Running, machine.MachineId, id);
        _fake.StopBehindCatwalksBack(machine.MachineId);
        await Eventually.Until(() => _fake.Find(machine.MachineId)!.State == "stopped", "the machine stopped");

        var report = await host.ReconcileAsync();

        var deployment = await host.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Stopped);
        var transition = deployment.Events.Should().ContainSingle().Which;
        transition.FromStatus.Should().Be(DeploymentStatus.Running);
        transition.ToStatus.Should().Be(DeploymentStatus.Stopped);
        transition.Reason.Should().Be($"Machine {machine.MachineId} is stopped (recorded Running): drift corrected");
        report.Actions.Should().ContainSingle(a => a.DeploymentId == id);
        _fake.Machines.Should().ContainSingle("reconciliation corrects records, it does not touch machines");
    }

    [Fact]
    public async Task A_machine_started_behind_catwalks_back_moves_its_stopped_deployment_to_running()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var machine = _fake.Seed(deploymentId: Guid.NewGuid(), state: "started");
        var deployment = await host.AddDeploymentAsync(DeploymentStatus.Stopped, machine.Id, Guid.Parse(machine.Metadata("catwalk_deployment")!));

        await host.ReconcileAsync();

        var after = await host.DeploymentAsync(deployment.Id);
        after.Status.Should().Be(DeploymentStatus.Running);
        after.Events.Single().Reason.Should().Contain("is running (recorded Stopped): drift corrected");
    }

    [Fact]
    public async Task A_vanished_machine_fails_its_deployment_with_the_reason_when_nothing_reprovisions_it()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var machine = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Running, machine.MachineId, id);
        _fake.DestroyBehindCatwalksBack(machine.MachineId);

        await host.ReconcileAsync();

        var deployment = await host.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Failed);
        deployment.ErrorMessage.Should().Be(
            $"Machine {machine.MachineId} vanished: the Fly runtime no longer has it\nNothing on this host re-provisions it: deploy it again.");
    }

    [Fact]
    public async Task A_vanished_machine_of_a_deployment_that_should_run_is_handed_to_the_reprovisioner()
    {
        var reprovisioner = new RecordingReprovisioner();
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake, services: s => s.AddSingleton<IDeploymentReprovisioner>(reprovisioner));
        var running = await host.AddDeploymentAsync(DeploymentStatus.Running, "0a1b2c3d4e5f60");
        var stopped = await host.AddDeploymentAsync(DeploymentStatus.Stopped, "0a1b2c3d4e5f61");

        await host.ReconcileAsync();

        reprovisioner.Calls.Should().ContainSingle().Which.Should().Be((running.Id, "Machine 0a1b2c3d4e5f60 vanished: the Fly runtime no longer has it"));
        (await host.DeploymentAsync(running.Id)).Status.Should().Be(DeploymentStatus.Running, "re-provisioning records its own transitions");
        var forgotten = await host.DeploymentAsync(stopped.Id);
        forgotten.Status.Should().Be(DeploymentStatus.Stopped, "a stopped deployment needs no machine until it is started");
        forgotten.MachineId.Should().BeNull("starting it provisions a new machine");
        forgotten.Events.Should().Contain(e => e.Detail == "A new machine is provisioned when it is started.");
    }

    [Fact]
    public async Task Orphans_are_reported_with_their_reason_and_never_destroyed_by_default()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var owned = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Running, owned.MachineId, id);
        var untagged = _fake.Seed(name: "made-by-hand", createdAt: DateTimeOffset.UtcNow.AddDays(-30));
        var unknown = Guid.NewGuid();
        var leftover = _fake.Seed(deploymentId: unknown, state: "stopped", createdAt: DateTimeOffset.UtcNow.AddDays(-30));

        var report = await host.ReconcileAsync();

        report.Orphans.Select(o => (o.Machine.MachineId, o.Reason)).Should().BeEquivalentTo(new[]
        {
            (untagged.Id, "Not tagged with a Catwalk deployment"),
            (leftover.Id, $"Tagged for deployment {unknown}, which no longer exists"),
        });
        host.Orphans.List().Select(o => o.Machine.MachineId).Should().BeEquivalentTo([untagged.Id, leftover.Id]);
        _fake.Machines.Should().HaveCount(3, "nothing is destroyed unless the opt-in clean-up is configured");
        (await host.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Running);
    }

    [Fact]
    public async Task An_admin_can_destroy_an_orphan_but_never_a_machine_a_deployment_owns()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var owned = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Running, owned.MachineId, id);
        var orphan = _fake.Seed(name: "made-by-hand");
        var claimedMeanwhile = _fake.Seed(name: "claimed-later");
        await host.ReconcileAsync();
        await host.AddDeploymentAsync(DeploymentStatus.Stopped, claimedMeanwhile.Id);
        var removed = new ConcurrentBag<string>();
        using var _ = host.Feed.Subscribe(update =>
        {
            if (update is MachineRemoved r)
            {
                removed.Add(r.MachineId);
            }

            return Task.CompletedTask;
        });

        await host.Orphans.DestroyAsync(RuntimeKind.Fly, orphan.Id, Ct);
        var notOrphan = () => host.Orphans.DestroyAsync(RuntimeKind.Fly, owned.MachineId, Ct);
        var nowOwned = () => host.Orphans.DestroyAsync(RuntimeKind.Fly, claimedMeanwhile.Id, Ct);

        await notOrphan.Should().ThrowAsync<InvalidOperationException>().WithMessage("*not a known orphan*");
        await nowOwned.Should().ThrowAsync<InvalidOperationException>().WithMessage("*belongs to deployment*");
        _fake.Machines.Select(m => m.Id).Should().BeEquivalentTo([owned.MachineId, claimedMeanwhile.Id]);
        host.Orphans.List().Select(o => o.Machine.MachineId).Should().NotContain(orphan.Id);
        removed.Should().Equal(orphan.Id);
    }

    [Fact]
    public async Task The_opt_in_clean_up_destroys_only_orphans_older_than_the_minimum_age()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake, s => s["CATWALK_ORPHAN_CLEANUP_MIN_AGE"] = "1h");
        var old = _fake.Seed(name: "old-orphan", createdAt: DateTimeOffset.UtcNow.AddHours(-3));
        var young = _fake.Seed(name: "young-orphan", createdAt: DateTimeOffset.UtcNow.AddMinutes(-5));
        var id = Guid.NewGuid();
        var owned = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Running, owned.MachineId, id);

        var report = await host.ReconcileAsync();

        _fake.Machines.Select(m => m.Id).Should().BeEquivalentTo([young.Id, owned.MachineId]);
        _fake.Find(old.Id)!.State.Should().Be("destroyed");
        report.Orphans.Should().ContainSingle().Which.Machine.MachineId.Should().Be(young.Id);
    }

    [Fact]
    public async Task An_api_outage_changes_no_deployment()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake, s => s["FLY_API_MAX_RETRIES"] = "1");
        var deployment = await host.AddDeploymentAsync(DeploymentStatus.Running, "0a1b2c3d4e5f60");
        _fake.Inject(FakeFault.Status(FlyCall.List, 503, times: 10));

        var report = await host.ReconcileAsync();

        report.SkippedRuntimes.Should().ContainSingle().Which.Should().StartWith("Fly: Listing Fly machines failed");
        var after = await host.DeploymentAsync(deployment.Id);
        after.Status.Should().Be(DeploymentStatus.Running);
        after.Events.Should().BeEmpty();
    }

    [Fact]
    public async Task A_deployment_the_lifecycle_is_working_on_is_left_alone_and_its_machine_is_not_an_orphan()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var machine = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Provisioning, machineId: null, id, updatedAgo: TimeSpan.FromSeconds(5));

        var report = await host.ReconcileAsync();

        (await host.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Provisioning);
        report.Actions.Should().BeEmpty();
        report.Orphans.Should().BeEmpty();
        _fake.Find(machine.MachineId)!.State.Should().Be("started");
    }

    [Fact]
    public async Task A_stuck_deployment_takes_the_state_of_its_machine_and_records_the_machine_it_never_saved()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var machine = await host.ProvisionAsync(id);
        await host.AddDeploymentAsync(DeploymentStatus.Starting, machineId: null, id, updatedAgo: TimeSpan.FromHours(1));

        await host.ReconcileAsync();

        var deployment = await host.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Running);
        deployment.MachineId.Should().Be(machine.MachineId);
        deployment.Events.Single().Detail.Should().Contain($"Adopted machine {machine.MachineId}");
    }

    [Fact]
    public async Task A_deployment_changed_during_the_round_is_never_overwritten()
    {
        ReconcilerHost? hostRef = null;
        var lifecycleMoved = new TaskCompletionSource();
        var runtime = new ScriptedRuntime(RuntimeKind.Local, async machines =>
        {
            // The lifecycle wakes the deployment while the round is listing machines.
            var transitions = hostRef!.Services.GetRequiredService<DeploymentTransitions>();
            await transitions.ApplyAsync(machines.Single().DeploymentId!.Value, DeploymentTrigger.Wake, "Waking on request", cancellationToken: Ct);
            lifecycleMoved.TrySetResult();
        });
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake,
            services: s => s.AddKeyedSingleton<IMachineRuntime>(RuntimeKind.Local, runtime));
        hostRef = host;
        var deployment = await host.AddDeploymentAsync(DeploymentStatus.Stopped, "local-1", runtime: RuntimeKind.Local);
        runtime.Machines.Add(ScriptedRuntime.Machine("local-1", deployment.Id, MachineState.Started));

        await host.ReconcileAsync();

        await lifecycleMoved.Task;
        var after = await host.DeploymentAsync(deployment.Id);
        after.Status.Should().Be(DeploymentStatus.Starting, "the lifecycle's transition stands");
        after.Events.Should().ContainSingle().Which.Reason.Should().Be("Waking on request");
    }

    [Fact]
    public async Task The_reconciler_runs_at_start_up_and_publishes_what_it_observes()
    {
        await using var host = await ReconcilerHost.CreateAsync(postgres, _fake);
        var id = Guid.NewGuid();
        var machine = _fake.Seed(deploymentId: id, state: "stopped");
        await host.AddDeploymentAsync(DeploymentStatus.Running, machine.Id, id);
        var observed = new ConcurrentQueue<StatusUpdate>();
        using var _ = host.Feed.Subscribe(update =>
        {
            observed.Enqueue(update);
            return Task.CompletedTask;
        });

        await host.StartAsync();

        await Eventually.Until(async () => (await host.DeploymentAsync(id)).Status == DeploymentStatus.Stopped, "the start-up round corrected the drift");
        observed.OfType<MachineObserved>().Should().Contain(o => o.Machine.MachineId == machine.Id && o.Machine.State == MachineState.Stopped);
        observed.OfType<DeploymentStatusChanged>().Should().Contain(c => c.DeploymentId == id && c.To == DeploymentStatus.Stopped);

        _fake.DestroyBehindCatwalksBack(machine.Id);
        await host.ReconcileAsync();
        observed.OfType<MachineRemoved>().Should().Contain(r => r.MachineId == machine.Id);
    }

    private sealed class RecordingReprovisioner : IDeploymentReprovisioner
    {
        public ConcurrentQueue<(Guid, string)> Calls { get; } = new();

        public Task ReprovisionAsync(Guid deploymentId, string reason, CancellationToken cancellationToken)
        {
            Calls.Enqueue((deploymentId, reason));
            return Task.CompletedTask;
        }
    }
}
