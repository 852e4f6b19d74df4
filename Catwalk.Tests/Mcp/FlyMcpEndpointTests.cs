using System.Net;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Fly;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Mcp;

/// <summary>
/// The whole path on the Fly runtime: the lifecycle drives the (fake) Machines API, and an MCP client reaches the real
/// server-everything through <c>/api/mcp/{id}</c> → the machine's URL → its server. Create, stop and wake, faults on the
/// way, delete, and a machine destroyed behind Catwalk's back.
/// </summary>
public sealed class FlyMcpEndpointTests(FlyMcpEndpointHost host) : IClassFixture<FlyMcpEndpointHost>
{
    private FakeFlyMachinesApi Fly => host.Fly;

    private McpEndpointHost Catwalk => host.Catwalk;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deployment_gets_one_fly_machine_with_its_package_credentials_and_status_check_and_serves_mcp_through_the_endpoint()
    {
        var (id, token, secret) = await host.DeployEverythingAsync("fly-everything");

        var machine = host.MachinesOf(id).Should().ContainSingle().Subject;
        var deployment = await Catwalk.DeploymentAsync(id);
        deployment.RuntimeKind.Should().Be(RuntimeKind.Fly);
        deployment.MachineId.Should().Be(machine.Id);
        machine.Name.Should().Be($"catwalk-{id:N}");
        machine.Image.Should().Be(FlyRuntimeHost.Image);
        machine.Environment.Should().Contain(new Dictionary<string, string>
        {
            ["MCP_PACKAGE"] = McpServerPackages.Everything,
            ["MCP_RUNTIME"] = "npm",
            ["MCP_PACKAGE_VERSION"] = FlyMcpEndpointHost.EverythingVersion,
            ["DEPLOYMENT_ID"] = id.ToString(),
            [McpEndpointHost.SecretName] = secret,
        });
        machine.Metadata("catwalk_deployment").Should().Be(id.ToString());
        machine.Config["restart"]!["policy"]!.GetValue<string>().Should().Be("on-failure");
        var check = machine.Config["checks"]!["status"]!;
        check["type"]!.GetValue<string>().Should().Be("http");
        check["path"]!.GetValue<string>().Should().Be("/status");
        check["port"]!.GetValue<int>().Should().Be(8080);
        Fly.Requests.Where(r => r.Call == FlyCall.Create && r.Body!.Contains(id.ToString(), StringComparison.Ordinal))
            .Should().ContainSingle().Which.Authorization.Should().Be("Bearer " + Fly.Token);

        await using var client = await Catwalk.ConnectAsync(id, token);
        (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).Should().Contain(["echo", "get-env", "trigger-long-running-operation"]);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through a fly machine" }, cancellationToken: Ct);
        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: through a fly machine");

        await using var progress = new ProgressRecorder(client);
        await client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 0.4, ["steps"] = 2 },
            options: ProgressRecorder.WithToken("fly"), cancellationToken: Ct);
        (await progress.WaitForAsync(2)).Select(p => p.Progress).Should().Equal(1d, 2d);

        var env = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: Ct);
        string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain(secret, "the credential reached the machine's environment");
    }

    [Fact]
    public async Task A_machine_refuses_mcp_without_its_secret_which_only_the_forwarder_adds_and_a_redeploy_rotates_it()
    {
        var (id, token, credential) = await host.DeployEverythingAsync("fly-guarded");
        var machine = host.MachinesOf(id).Should().ContainSingle().Subject;
        var first = machine.Env(Core.Machines.Fly.FlyMachineConfigs.MachineSecretVariable);
        first.Should().NotBeNullOrEmpty().And.HaveLength(43, "256 random bits, URL-safe Base64");
        var machineMcp = new Uri(Fly.MachineUrlTemplate.Replace("{machineId}", machine.Id, StringComparison.Ordinal) + "mcp");
        using var http = new HttpClient();

        // Another machine of the app (or anything on the private network) calling this one directly, without or with a guess.
        var refusedBefore = Fly.RefusedWithoutSecret;
        foreach (var guess in new[] { null, "a-guess", credential })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, machineMcp)
            {
                Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            if (guess is not null)
            {
                request.Headers.Add(MachineSecret.HeaderName, guess);
            }

            using var refused = await http.SendAsync(request, Ct);
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }

        Fly.RefusedWithoutSecret.Should().Be(refusedBefore + 3);
        await using (var client = await Catwalk.ConnectAsync(id, token))
        {
            (await client.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty("the forwarder adds the secret");
        }

        await Catwalk.Lifecycle.RedeployAsync(id, new Dictionary<string, string> { [McpEndpointHost.SecretName] = "rotated-credential" }, null, Ct);
        await Catwalk.WaitForStatusAsync(id, DeploymentStatus.Running);

        var rotated = host.MachinesOf(id).Should().ContainSingle().Subject.Env(Core.Machines.Fly.FlyMachineConfigs.MachineSecretVariable);
        rotated.Should().NotBeNullOrEmpty().And.NotBe(first, "a redeploy gives the machine a new secret");
        await using var after = await Catwalk.ConnectAsync(id, token);
        (await after.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty("the forwarder sends the new secret");
    }

    [Fact]
    public async Task Stopping_stops_the_fly_machine_and_the_next_request_starts_it_again()
    {
        var (id, token, _) = await host.DeployEverythingAsync("fly-sleepy");
        var machineId = (await Catwalk.DeploymentAsync(id)).MachineId!;

        await Catwalk.Lifecycle.StopAsync(id, "Stopped by the test", Ct);

        (await Catwalk.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Stopped);
        Fly.Find(machineId)!.State.Should().Be("stopped");
        Fly.Requests.Should().Contain(r => r.Call == FlyCall.Stop && r.PathAndQuery.Contains(machineId, StringComparison.Ordinal));
        var startsBefore = StartsOf(machineId);

        await using var client = await Catwalk.ConnectAsync(id, token);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "awake" }, cancellationToken: Ct);

        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: awake");
        StartsOf(machineId).Should().Be(startsBefore + 1, "the request woke the same machine with one start call");
        Fly.Find(machineId)!.State.Should().Be("started");
        var deployment = await Catwalk.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Running);
        deployment.MachineId.Should().Be(machineId);
        deployment.Events.Should().ContainSingle(e => e.Reason == "Woken by a request");
    }

    [Fact]
    public async Task A_deploy_gets_through_429_and_503_answers_and_a_create_whose_answer_was_lost_leaves_one_machine()
    {
        // In order: the look-up before the first create is rate limited; the first create is refused with 503 (nothing
        // made); the second create makes the machine but the connection drops before the answer; reads fail once.
        Fly.Inject(FakeFault.Status(FlyCall.List, 429, retryAfter: TimeSpan.FromSeconds(1)));
        Fly.Inject(FakeFault.Status(FlyCall.Create, 503));
        Fly.Inject(FakeFault.DropConnectionAfterApplying(FlyCall.Create));
        Fly.Inject(FakeFault.Status(FlyCall.Get, 503, retryAfter: TimeSpan.FromSeconds(1)));

        var (id, token, _) = await host.DeployEverythingAsync("fly-faulty");
        Fly.ClearFaults(); // Whatever the background reads did not take must not reach the next test.

        var creates = Fly.Requests.Where(r => r.Call == FlyCall.Create && r.Body!.Contains(id.ToString(), StringComparison.Ordinal)).ToList();
        creates.Select(r => r.Fault).Should().Equal([FaultKind.Respond, FaultKind.ApplyThenDropConnection],
            "a refused create is made again, and a create whose answer was lost is looked up, not repeated");
        Fly.Requests.Should().Contain(r => r.StatusCode == 429 && r.Fault == FaultKind.Respond, "a rate-limited call was answered 429");
        var machine = host.MachinesOf(id).Should().ContainSingle("the lost create's machine was found and adopted").Subject;
        (await Catwalk.DeploymentAsync(id)).MachineId.Should().Be(machine.Id);

        await using var client = await Catwalk.ConnectAsync(id, token);
        (await client.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_fly_machine_that_crashes_after_starting_fails_the_deployment_at_once_with_its_exit_code_and_is_left_stopped()
    {
        // The host's CATWALK_READY_TIMEOUT is 60 s: the health wait must notice the crash from the machine's state,
        // well before that, and say why (a timeout would say "did not become healthy within 60 seconds").
        Fly.NewMachineBehavior = FakeMachineBehavior.CrashesAfterStarted;
        try
        {
            var created = await Catwalk.Lifecycle.CreateAsync(new CreateDeploymentRequest(
                "owner-fly-e2e", "fly-crashing", "https://github.com/modelcontextprotocol/servers", McpServerPackages.Everything,
                Core.Packages.PackageRuntime.Npm, FlyMcpEndpointHost.EverythingVersion, new Dictionary<string, string>()), Ct);
            var id = created.Deployment.Id;

            var failed = await Eventually.ReturnsAsync(() => Catwalk.DeploymentAsync(id), d => d.Status == DeploymentStatus.Failed,
                "the deployment failed", TimeSpan.FromSeconds(30));

            var machine = host.MachinesOf(id).Should().ContainSingle().Subject;
            Fly.Requests.Should().NotContain(r => r.Call == FlyCall.Wait && r.PathAndQuery.Contains(machine.Id, StringComparison.Ordinal),
                "provision returns once Fly accepted the machine; only the lifecycle waits, on /status and the machine's state");
            failed.ErrorMessage.Should().Contain("stopped before the server answered").And.Contain("exited with code 1");
            failed.Events.Should().Contain(e => e.ToStatus == DeploymentStatus.Starting)
                .And.ContainSingle(e => e.ToStatus == DeploymentStatus.Failed).Which.Reason.Should().Contain("exited with code 1");
            machine.State.Should().Be("stopped", "Failed means no started machine");
        }
        finally
        {
            Fly.NewMachineBehavior = FakeMachineBehavior.Normal;
        }
    }

    [Fact]
    public async Task Deleting_a_deployment_destroys_its_fly_machine()
    {
        var (id, token, _) = await host.DeployEverythingAsync("fly-doomed");
        var machineId = (await Catwalk.DeploymentAsync(id)).MachineId!;

        await Catwalk.Lifecycle.DeleteAsync(id, Ct);

        Fly.Find(machineId)!.State.Should().Be("destroyed");
        host.MachinesOf(id).Should().BeEmpty();
        Fly.Requests.Should().Contain(r => r.Call == FlyCall.Destroy && r.PathAndQuery.Contains(machineId, StringComparison.Ordinal) && r.StatusCode == 200);
        using var http = new HttpClient();
        using var request = McpEndpointTests.RawPost(Catwalk.EndpointOf(id), token, """{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        (await http.SendAsync(request, Ct)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_machine_destroyed_behind_catwalks_back_is_reported_by_reconciliation_and_provisioned_again()
    {
        var (id, token, _) = await host.DeployEverythingAsync("fly-vanishing");
        var lost = (await Catwalk.DeploymentAsync(id)).MachineId!;

        Fly.DestroyBehindCatwalksBack(lost);

        var deployment = await Eventually.ReturnsAsync(() => Catwalk.DeploymentAsync(id),
            d => d.Status == DeploymentStatus.Running && d.MachineId != lost, "the deployment runs on a new machine", TimeSpan.FromSeconds(60));
        deployment.Events.Should().Contain(e => e.Reason.Contains($"Machine {lost} vanished", StringComparison.Ordinal),
            "the reconciler recorded why the deployment was provisioned again");
        host.MachinesOf(id).Should().ContainSingle().Which.Id.Should().Be(deployment.MachineId);

        await using var client = await Catwalk.ConnectAsync(id, token);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "again" }, cancellationToken: Ct);
        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: again");
    }

    private int StartsOf(string machineId) =>
        Fly.Requests.Count(r => r.Call == FlyCall.Start && r.PathAndQuery.Contains(machineId, StringComparison.Ordinal));
}
