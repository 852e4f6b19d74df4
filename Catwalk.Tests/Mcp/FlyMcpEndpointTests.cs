using System.Net;
using Catwalk.Core.Deployments;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Fly;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Machines.Fly;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
        check["path"]!.GetValue<string>().Should().Be("/ping");
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
    public async Task A_machine_refuses_mcp_without_its_secret_which_is_stored_encrypted_and_a_redeploy_rotates_it()
    {
        var (id, token, credential) = await host.DeployEverythingAsync("fly-guarded");
        var (other, _, _) = await host.DeployEverythingAsync("fly-neighbour");
        var machine = host.MachinesOf(id).Should().ContainSingle().Subject;
        var first = machine.Env(FlyMachineConfigs.MachineSecretVariable);
        first.Should().NotBeNullOrEmpty().And.HaveLength(43, "256 random bits, URL-safe Base64");
        var neighbours = host.MachinesOf(other).Should().ContainSingle().Subject.Env(FlyMachineConfigs.MachineSecretVariable);
        (await StoredSecretAsync(machine.Id)).Should().Be(first, "the database holds the machine's secret, Fernet-encrypted");

        // Another machine of the app (or anything on the private network) calling this one directly: without a secret,
        // with a guess, with a credential, with its own secret, or with the right one under the local bridge's header.
        var refusedBefore = Fly.RefusedWithoutSecret;
        foreach (var (header, guess) in new (string, string?)[]
        {
            (FlyMachineConfigs.MachineSecretHeader, null), (FlyMachineConfigs.MachineSecretHeader, "a-guess"),
            (FlyMachineConfigs.MachineSecretHeader, credential), (FlyMachineConfigs.MachineSecretHeader, neighbours),
            (MachineSecret.HeaderName, first),
        })
        {
            (await CallMachineDirectlyAsync(machine.Id, header, guess)).Should().Be(HttpStatusCode.Unauthorized);
        }

        Fly.RefusedWithoutSecret.Should().Be(refusedBefore + 5);
        await using (var client = await Catwalk.ConnectAsync(id, token))
        {
            (await client.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty("the forwarder adds the secret");
        }

        await Catwalk.Lifecycle.RedeployAsync(id, new Dictionary<string, string> { [McpEndpointHost.SecretName] = "rotated-credential" }, null, Ct);
        await Catwalk.WaitForStatusAsync(id, DeploymentStatus.Running);

        var rotated = host.MachinesOf(id).Should().ContainSingle().Subject.Env(FlyMachineConfigs.MachineSecretVariable);
        rotated.Should().NotBeNullOrEmpty().And.NotBe(first, "a redeploy gives the machine a new secret");
        (await StoredSecretAsync(machine.Id)).Should().Be(rotated, "the rotation is stored");
        (await CallMachineDirectlyAsync(machine.Id, FlyMachineConfigs.MachineSecretHeader, first)).Should().Be(HttpStatusCode.Unauthorized,
            "whoever learnt the old secret cannot use it");
        await using var after = await Catwalk.ConnectAsync(id, token);
        (await after.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty("the forwarder sends the new secret");

        await Catwalk.Lifecycle.DeleteAsync(id, Ct);
        await Eventually.Until(async () => await StoredSecretAsync(machine.Id) is null, "deleting the deployment forgets its machine's secret");
    }

    [Fact]
    public async Task A_client_cannot_choose_the_secret_header_the_machine_sees()
    {
        var (id, token, _) = await host.DeployEverythingAsync("fly-forged");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Catwalk.EndpointOf(id))
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"forger","version":"1"}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add(FlyMachineConfigs.MachineSecretHeader, "forged-by-the-client");

        using var response = await http.SendAsync(request, Ct);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the forwarder replaced the client's header with the machine's secret");
    }

    [Fact]
    public async Task A_machine_secret_missing_from_the_database_is_stored_again_from_the_machines_config()
    {
        var (id, token, _) = await host.DeployEverythingAsync("fly-forgotten");
        var machine = host.MachinesOf(id).Should().ContainSingle().Subject;
        await using (var db = await Catwalk.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(Ct))
        {
            // As if Catwalk had stopped between creating the machine and storing its secret.
            (await db.MachineSecrets.Where(s => s.MachineId == machine.Id).ExecuteDeleteAsync(Ct)).Should().Be(1);
        }

        await Eventually.Until(async () => await StoredSecretAsync(machine.Id) == machine.Env(FlyMachineConfigs.MachineSecretVariable),
            "the monitor's next look at the machine stores its secret again");
        await using var client = await Catwalk.ConnectAsync(id, token);
        (await client.ListToolsAsync(cancellationToken: Ct)).Should().NotBeEmpty();
    }

    private async Task<HttpStatusCode> CallMachineDirectlyAsync(string machineId, string header, string? secret)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Fly.MachineUrlTemplate.Replace("{machineId}", machineId, StringComparison.Ordinal) + "mcp"))
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (secret is not null)
        {
            request.Headers.Add(header, secret);
        }

        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    /// <summary>The machine's row in <c>machine_secrets</c>, decrypted (and checked to be no plaintext).</summary>
    private async Task<string?> StoredSecretAsync(string machineId)
    {
        await using var db = await Catwalk.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(Ct);
        var row = await db.MachineSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.MachineId == machineId, Ct);
        if (row is null)
        {
            return null;
        }

        var secret = Catwalk.App.Services.GetRequiredService<ISecretProtector>().Unprotect(row.FernetToken);
        row.FernetToken.Should().NotContain(secret);
        return secret;
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
