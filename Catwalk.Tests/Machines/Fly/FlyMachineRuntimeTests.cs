using Catwalk.Tests.Fixtures;
using System.Text.Json.Nodes;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Core.Machines.Secrets;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fakes.FlyMachines;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Machines.Fly;

public sealed class FlyMachineRuntimeTests : IAsyncLifetime
{
    private const string Secret = "sk-live-0123456789-never-log-me";
    private FakeFlyMachinesApi _fake = null!;

    public async ValueTask InitializeAsync() => _fake = await FakeFlyMachinesApi.StartAsync();

    public async ValueTask DisposeAsync() => await _fake.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MachineSpec Spec(Guid? id = null, string package = "@modelcontextprotocol/server-everything", PackageRuntime runtime = PackageRuntime.Npm,
        string? version = "2025.9.25", Dictionary<string, string>? env = null) =>
        new(id ?? Guid.NewGuid(), package, runtime, version, env ?? new Dictionary<string, string> { ["API_KEY"] = Secret });

    [Fact]
    public async Task Server_arguments_reach_the_machine_as_a_json_array_with_secrets_only_as_references()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var spec = Spec() with { Arguments = ["stdio", "--api-key=${API_KEY}", "a b; $(x)"] };

        await host.Runtime.ProvisionAsync(spec, Ct);

        var env = JsonNode.Parse(_fake.Requests.Single(r => r.Call == FlyCall.Create).Body!)!["config"]!["env"]!;
        System.Text.Json.JsonSerializer.Deserialize<string[]>(env["MCP_ARGS"]!.GetValue<string>())
            .Should().Equal("stdio", "--api-key=${API_KEY}", "a b; $(x)");
        var unknownReference = () => host.Runtime.ProvisionAsync(Spec() with { Arguments = ["${NOT_A_CREDENTIAL}"] }, Ct);
        await unknownReference.Should().ThrowAsync<ArgumentException>().WithMessage("*${NOT_A_CREDENTIAL}*");
    }

    [Fact]
    public async Task A_rate_limited_create_is_tried_again_after_Retry_After_and_makes_exactly_one_machine()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.Inject(FakeFault.RateLimited(FlyCall.Create, TimeSpan.FromSeconds(1), times: 2));
        _fake.Inject(FakeFault.Unavailable(FlyCall.Create, TimeSpan.FromSeconds(1)));
        var spec = Spec();

        var info = await host.Runtime.ProvisionAsync(spec, Ct);

        var creates = _fake.Requests.Where(r => r.Call == FlyCall.Create).ToList();
        creates.Select(r => r.StatusCode).Should().Equal([429, 429, 503, 200], "a refused create is made again, not given up");
        for (var i = 1; i < creates.Count; i++)
        {
            (creates[i].At - creates[i - 1].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "Retry-After is honoured");
        }

        _fake.Machines.Where(m => m.Metadata("catwalk_deployment") == spec.DeploymentId.ToString()).Should().ContainSingle().Which.Id.Should().Be(info.MachineId);
    }

    [Fact]
    public async Task A_create_still_rate_limited_at_the_calls_deadline_fails_with_the_reason_and_makes_no_machine()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s => s["FLY_API_TOTAL_TIMEOUT"] = "3s");
        _fake.Inject(FakeFault.RateLimited(FlyCall.Create, TimeSpan.FromSeconds(2), times: 100));

        var provision = () => host.Runtime.ProvisionAsync(Spec(), Ct);

        (await provision.Should().ThrowAsync<MachineRuntimeException>()).Which.Message.Should().Contain("429");
        _fake.Requests.Count(r => r.Call == FlyCall.Create).Should().Be(2, "it waited as asked until the deadline left no room for another wait");
        _fake.Machines.Should().BeEmpty();
    }

    [Fact]
    public async Task Provisioning_creates_one_machine_with_the_image_env_guest_metadata_restart_policy_and_status_check()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s => s["FLY_MCP_REGION"] = "ams");
        var spec = Spec();

        var info = await host.Runtime.ProvisionAsync(spec, Ct);

        info.State.Should().BeOneOf([MachineState.Created, MachineState.Starting, MachineState.Started], "Fly accepted the machine");
        info.DeploymentId.Should().Be(spec.DeploymentId);
        info.RuntimeKind.Should().Be(RuntimeKind.Fly);
        info.UpstreamBaseUrl.Should().Be(new Uri(_fake.Root, $"machines/{info.MachineId}/"));
        _fake.StatusChecks.Should().Be(0, "the runtime does not wait for /status: the lifecycle alone waits for health");

        var create = _fake.Requests.Single(r => r.Call == FlyCall.Create);
        create.Authorization.Should().Be("Bearer " + _fake.Token);
        create.PathAndQuery.Should().Be($"/v1/apps/{_fake.AppName}/machines");
        var body = JsonNode.Parse(create.Body!)!;
        body["name"]!.GetValue<string>().Should().Be($"catwalk-{spec.DeploymentId:N}");
        body["region"]!.GetValue<string>().Should().Be("ams");
        var config = body["config"]!;
        config["image"]!.GetValue<string>().Should().Be(FlyRuntimeHost.Image);
        var env = config["env"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        env.Remove(FlyMachineConfigs.MachineSecretVariable, out var machineSecret).Should().BeTrue("the machine gets a secret of its own");
        env.Should().Equal(new Dictionary<string, string>
        {
            ["API_KEY"] = Secret,
            ["MCP_PACKAGE"] = "@modelcontextprotocol/server-everything",
            ["MCP_RUNTIME"] = "npm",
            ["MCP_PACKAGE_VERSION"] = "2025.9.25",
            ["DEPLOYMENT_ID"] = spec.DeploymentId.ToString(),
        });
        (await host.Services.GetRequiredService<IMachineSecretStore>().FindAsync(info.MachineId, Ct)).Should().Be(machineSecret, "the secret is stored for the forwarder");
        config["guest"]!["cpu_kind"]!.GetValue<string>().Should().Be("shared");
        config["guest"]!["cpus"]!.GetValue<int>().Should().Be(1);
        config["guest"]!["memory_mb"]!.GetValue<int>().Should().Be(256);
        config["metadata"]!["catwalk_deployment"]!.GetValue<string>().Should().Be(spec.DeploymentId.ToString());
        config["restart"]!["policy"]!.GetValue<string>().Should().Be("on-failure");
        var check = config["checks"]!["status"]!;
        check["type"]!.GetValue<string>().Should().Be("http");
        check["port"]!.GetValue<int>().Should().Be(8080);
        check["method"]!.GetValue<string>().Should().Be("GET");
        check["path"]!.GetValue<string>().Should().Be("/ping", "the image's mcp-proxy answers its health path without the secret");
        config["auto_destroy"]!.GetValue<bool>().Should().BeFalse();

        _fake.Machines.Should().ContainSingle().Which.State.Should().Be("started");
        host.Logs.Lines.Should().NotBeEmpty();
        host.Logs.Lines.Should().NotContain(line => line.Contains(Secret), "credentials are never logged");
        host.Logs.Lines.Should().NotContain(line => line.Contains(_fake.Token), "neither is the API token");
    }

    [Fact]
    public async Task A_pypi_server_without_a_version_gets_runtime_pypi_and_no_version_variable()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);

        var info = await host.Runtime.ProvisionAsync(Spec(package: "mcp-server-fetch", runtime: PackageRuntime.Pypi, version: null, env: []), Ct);

        var machine = _fake.Find(info.MachineId)!;
        machine.Env("MCP_PACKAGE").Should().Be("mcp-server-fetch");
        machine.Env("MCP_RUNTIME").Should().Be("pypi");
        machine.Environment.Should().NotContainKey("MCP_PACKAGE_VERSION");
    }

    [Fact]
    public async Task Provisioning_and_stopping_succeed_through_429_with_retry_after_503s_and_answers_slower_than_the_timeout()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s => s["FLY_API_ATTEMPT_TIMEOUT"] = "1s");
        _fake.Inject(FakeFault.Status(FlyCall.List, 429, retryAfter: TimeSpan.FromSeconds(1)));
        _fake.Inject(FakeFault.Status(FlyCall.Wait, 503, times: 2));
        _fake.Inject(FakeFault.Slow(FlyCall.Get, TimeSpan.FromSeconds(2.5)));

        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);
        await host.Runtime.StopAsync(info.MachineId, Ct);

        info.State.Should().NotBe(MachineState.Failed);
        _fake.Machines.Should().ContainSingle().Which.State.Should().Be("stopped");
        // The fake records a slow request once it has (uselessly) answered it.
        await Eventually.Until(() => _fake.Requests.Any(r => r.Fault == FaultKind.Slow), "the slow GET was answered");
        var requests = _fake.Requests;
        var limited = requests.First(r => r.Call == FlyCall.List && r.StatusCode == 429);
        var retried = requests.First(r => r.Call == FlyCall.List && r.At > limited.At);
        (retried.At - limited.At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900), "Retry-After: 1 is honoured");
        requests.Count(r => r.Call == FlyCall.Wait && r.StatusCode == 503).Should().Be(2);
        var slow = requests.Single(r => r.Call == FlyCall.Get && r.Fault == FaultKind.Slow);
        requests.Should().Contain(r => r.Call == FlyCall.Get && r.Fault == null && r.PathAndQuery == slow.PathAndQuery && r.At < slow.At,
            "the GET that got no answer in time was sent again and answered while the first still hung");
        requests.Count(r => r.Call == FlyCall.Create).Should().Be(1);
    }

    [Fact]
    public async Task A_create_whose_answer_is_lost_after_the_machine_was_made_is_found_by_name_not_made_twice()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.Inject(FakeFault.LoseAnswer(FlyCall.Create));
        var spec = Spec();

        var info = await host.Runtime.ProvisionAsync(spec, Ct);

        info.State.Should().BeOneOf([MachineState.Starting, MachineState.Started], "Provision returns once Fly accepted the start; it does not wait for started");
        _fake.CountOf(FlyCall.Create).Should().Be(1, "the machine was found by its name instead of created again");
        _fake.Machines.Should().ContainSingle().Which.Name.Should().Be($"catwalk-{spec.DeploymentId:N}");
        info.MachineId.Should().Be(_fake.Machines.Single().Id);
    }

    [Fact]
    public async Task A_create_whose_connection_drops_after_the_machine_was_made_is_found_not_made_twice()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.Inject(FakeFault.DropConnectionAfterApplying(FlyCall.Create));
        var spec = Spec();

        var info = await host.Runtime.ProvisionAsync(spec, Ct);

        info.State.Should().BeOneOf([MachineState.Starting, MachineState.Started], "Provision returns once Fly accepted the start; it does not wait for started");
        _fake.Requests.Should().ContainSingle(r => r.Call == FlyCall.Create)
            .Which.Fault.Should().Be(FaultKind.ApplyThenDropConnection, "the network error was answered by a look-up, not a second create");
        _fake.Machines.Should().ContainSingle().Which.Id.Should().Be(info.MachineId);
    }

    [Fact]
    public async Task A_create_answered_slower_than_the_timeout_never_leaves_two_machines()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake, s => s["FLY_API_ATTEMPT_TIMEOUT"] = "1s");
        // The first create times out on the client and lands on the server later, after Catwalk created again.
        _fake.Inject(FakeFault.LoseAnswer(FlyCall.Create, slowerThanTimeout: TimeSpan.FromSeconds(3)));
        var spec = Spec();

        var info = await host.Runtime.ProvisionAsync(spec, Ct);
        await Eventually.Until(() => _fake.Requests.Any(r => r.Call == FlyCall.Create && r.Fault == FaultKind.Slow), "the delayed first create reached the fake");

        _fake.Requests.Single(r => r.Call == FlyCall.Create && r.Fault == FaultKind.Slow).StatusCode.Should().Be(409,
            "the late create is refused because the deterministic name is taken");
        _fake.Requests.Should().ContainSingle(r => r.Call == FlyCall.Create && r.StatusCode == 200);
        _fake.Machines.Should().ContainSingle().Which.Id.Should().Be(info.MachineId);
    }

    [Fact]
    public async Task Provisioning_one_deployment_concurrently_and_again_reuses_its_one_machine()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var spec = Spec();

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.Runtime.ProvisionAsync(spec, Ct)));
        var again = await host.Runtime.ProvisionAsync(spec, Ct);

        results.Select(r => r.MachineId).Append(again.MachineId).Distinct().Should().ContainSingle();
        _fake.Machines.Should().ContainSingle();
    }

    [Fact]
    public async Task Provisioning_again_after_the_machine_was_stopped_starts_the_same_machine()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var spec = Spec();
        var first = await host.Runtime.ProvisionAsync(spec, Ct);
        _fake.StopBehindCatwalksBack(first.MachineId);
        await Eventually.Until(() => _fake.Find(first.MachineId)!.State == "stopped", "the machine stopped");

        var second = await host.Runtime.ProvisionAsync(spec, Ct);

        second.MachineId.Should().Be(first.MachineId);
        second.State.Should().BeOneOf([MachineState.Starting, MachineState.Started], "the start was accepted");
        await Eventually.Until(() => _fake.Find(first.MachineId)!.State == "started", "the machine started again");
        _fake.CountOf(FlyCall.Create).Should().Be(1);
        _fake.CountOf(FlyCall.Start).Should().Be(1);
    }

    [Fact]
    public async Task Provisioning_returns_once_fly_accepted_the_machine_without_waiting_for_started_or_status()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.NewMachineBehavior = FakeMachineBehavior.NeverStarts;

        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);

        info.MachineId.Should().Be(_fake.Machines.Single().Id);
        info.State.Should().BeOneOf([MachineState.Created, MachineState.Starting], "the machine never starts, yet provision returned");
        _fake.CountOf(FlyCall.Wait).Should().Be(0, "waiting is the lifecycle's job, on /status and the machine's state");
        _fake.StatusChecks.Should().Be(0);
    }

    [Fact]
    public async Task A_server_that_crashes_after_starting_inspects_as_stopped_with_its_exit_code()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        _fake.NewMachineBehavior = FakeMachineBehavior.CrashesAfterStarted;

        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);

        await Eventually.Until(() => _fake.Find(info.MachineId)!.State == "started", "the machine reached started");
        var crashed = await Eventually.ReturnsAsync(() => host.Runtime.InspectAsync(info.MachineId, Ct), m => m?.State == MachineState.Stopped,
            "the machine crashed");
        crashed!.Reason.Should().Contain("exited with code 1");
        (await host.Runtime.GetLogTailAsync(info.MachineId, 10, Ct)).Should().Contain(line => line.Contains("exit") && line.Contains("code 1"));
    }

    [Fact]
    public async Task Stop_and_start_move_the_machine_and_inspect_reports_it()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);

        await host.Runtime.StopAsync(info.MachineId, Ct);
        (await host.Runtime.InspectAsync(info.MachineId, Ct))!.State.Should().Be(MachineState.Stopped);
        await host.Runtime.StopAsync(info.MachineId, Ct);

        await host.Runtime.StartAsync(info.MachineId, Ct);
        var started = await Eventually.ReturnsAsync(() => host.Runtime.InspectAsync(info.MachineId, Ct),
            m => m?.State == MachineState.Started && m.Health == MachineHealth.Healthy, "the machine started");
        started!.Health.Should().Be(MachineHealth.Healthy);
        started.StartedAt.Should().NotBeNull();
        await host.Runtime.StartAsync(info.MachineId, Ct);
        _fake.Find(info.MachineId)!.State.Should().Be("started");
    }

    [Fact]
    public async Task Destroy_leaves_no_machine_behind_and_destroying_twice_is_not_an_error()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);

        await host.Runtime.DestroyAsync(info.MachineId, Ct);
        await host.Runtime.DestroyAsync(info.MachineId, Ct);

        _fake.Machines.Should().BeEmpty();
        _fake.Requests.First(r => r.Call == FlyCall.Destroy).PathAndQuery.Should().EndWith("?force=true");
        (await host.Runtime.InspectAsync(info.MachineId, Ct)).Should().BeNull();
        (await host.Runtime.ListAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_machine_deleted_behind_catwalks_back_inspects_as_gone_and_cannot_be_started()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);
        _fake.DestroyBehindCatwalksBack(info.MachineId);

        (await host.Runtime.InspectAsync(info.MachineId, Ct)).Should().BeNull();
        var start = () => host.Runtime.StartAsync(info.MachineId, Ct);

        (await start.Should().ThrowAsync<MachineRuntimeException>()).WithMessage($"*{info.MachineId} no longer exists*");
    }

    [Fact]
    public async Task Update_sends_the_new_env_and_restarts_the_machine()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var id = Guid.NewGuid();
        var info = await host.Runtime.ProvisionAsync(Spec(id), Ct);
        _fake.Find(info.MachineId)!.Config["init"] = new JsonObject { ["swap_size_mb"] = 512 };
        var instanceBefore = _fake.Find(info.MachineId)!.InstanceId;

        var updated = await host.Runtime.UpdateAsync(info.MachineId, Spec(id, version: "2025.10.1", env: new() { ["API_KEY"] = "rotated" }), Ct);

        updated.State.Should().NotBe(MachineState.Failed);
        await Eventually.Until(() => _fake.Find(info.MachineId)!.State == "started", "the updated machine started");
        var machine = _fake.Find(info.MachineId)!;
        machine.Env("API_KEY").Should().Be("rotated");
        var swap = machine.Config["init"]?["swap_size_mb"]?.ToJsonString();
        swap.Should().Be("512", "settings Catwalk does not manage survive an update");
        machine.Env("MCP_PACKAGE_VERSION").Should().Be("2025.10.1");
        machine.InstanceId.Should().NotBe(instanceBefore, "the update replaced the machine's instance");
    }

    [Fact]
    public async Task An_update_whose_answer_is_lost_is_confirmed_by_reading_the_machine_not_sent_again()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var id = Guid.NewGuid();
        var info = await host.Runtime.ProvisionAsync(Spec(id), Ct);
        _fake.Inject(FakeFault.LoseAnswer(FlyCall.Update));

        var updated = await host.Runtime.UpdateAsync(info.MachineId, Spec(id, env: new() { ["API_KEY"] = "rotated" }), Ct);

        updated.State.Should().NotBe(MachineState.Failed);
        _fake.CountOf(FlyCall.Update).Should().Be(1);
        _fake.Find(info.MachineId)!.Env("API_KEY").Should().Be("rotated");
    }

    [Fact]
    public async Task An_update_refused_with_503_is_not_retried_and_fails_with_the_reason()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var id = Guid.NewGuid();
        var info = await host.Runtime.ProvisionAsync(Spec(id), Ct);
        _fake.Inject(FakeFault.Status(FlyCall.Update, 503));

        var update = () => host.Runtime.UpdateAsync(info.MachineId, Spec(id, env: new() { ["API_KEY"] = "rotated" }), Ct);

        (await update.Should().ThrowAsync<FlyApiException>()).WithMessage("*Updating Fly machine*503*service unavailable*");
        _fake.CountOf(FlyCall.Update).Should().Be(1);
        _fake.Find(info.MachineId)!.Env("API_KEY").Should().Be(Secret);
    }

    [Fact]
    public async Task List_reports_tagged_and_untagged_machines_with_their_deployment()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var info = await host.Runtime.ProvisionAsync(Spec(), Ct);
        var untagged = _fake.Seed(name: "made-by-hand");
        var stopped = _fake.Seed(deploymentId: Guid.NewGuid(), state: "stopped");

        var machines = await host.Runtime.ListAsync(Ct);

        machines.Should().HaveCount(3);
        machines.Single(m => m.MachineId == info.MachineId).DeploymentId.Should().Be(info.DeploymentId);
        machines.Single(m => m.MachineId == untagged.Id).DeploymentId.Should().BeNull();
        machines.Single(m => m.MachineId == stopped.Id).State.Should().Be(MachineState.Stopped);
    }

    [Theory]
    [InlineData("; rm -rf /")]
    [InlineData("$(id)")]
    [InlineData("--registry=https://evil.example")]
    [InlineData("--flag")]
    [InlineData("a b")]
    [InlineData("pkg\nnext")]
    public async Task A_hostile_package_name_is_refused_before_any_machine_is_made(string package)
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);

        var provision = () => host.Runtime.ProvisionAsync(Spec(package: package.Replace("\\n", "\n", StringComparison.Ordinal)), Ct);

        await provision.Should().ThrowAsync<ArgumentException>();
        _fake.CountOf(FlyCall.Create).Should().Be(0);
    }

    [Theory]
    [InlineData("MCP_PACKAGE")]
    [InlineData("CATWALK_MACHINE_SECRET")]
    [InlineData("MCP_PORT")]
    [InlineData("MCP_PROXY_SHELL")]
    [InlineData("MCP_PROXY_API_KEY")]
    public async Task A_credential_may_not_override_the_variables_the_image_or_its_proxy_reads(string name)
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);

        var provision = () => host.Runtime.ProvisionAsync(Spec(env: new() { [name] = "other" }), Ct);

        await provision.Should().ThrowAsync<ArgumentException>().WithMessage($"*{name}*set by Catwalk*");
        _fake.CountOf(FlyCall.Create).Should().Be(0);
    }
}
