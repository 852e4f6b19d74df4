using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Machines.Local;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Deployments;

/// <summary>The lifecycle on the real local runtime: every transition an event with a reason, nothing left behind.</summary>
public sealed class DeploymentLifecycleTests(McpEndpointHost host) : IClassFixture<McpEndpointHost>
{
    private DeploymentLifecycle Lifecycle => host.Lifecycle;

    [Fact]
    public async Task Invalid_names_packages_versions_and_env_var_names_are_refused_field_by_field_before_anything_is_stored()
    {
        var ct = TestContext.Current.CancellationToken;
        var request = new CreateDeploymentRequest("owner", "Bad Name!", null, "@scope/$(id)", PackageRuntime.Npm, "1.0 && x",
            new Dictionary<string, string> { ["1BAD-NAME"] = "v" });

        var act = () => Lifecycle.CreateAsync(request, ct);

        var errors = (await act.Should().ThrowAsync<DeploymentValidationException>()).Which.Errors;
        errors.Keys.Should().BeEquivalentTo(["name", "package", "version", "env"]);
        errors["env"].Single().Should().Contain("1BAD-NAME");
        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        (await db.Deployments.AnyAsync(d => d.Name == "Bad Name!", ct)).Should().BeFalse();
    }

    [Fact]
    public async Task A_created_deployment_walks_pending_provisioning_starting_running_with_a_reason_for_each_step()
    {
        var (id, _, _) = await host.DeployEverythingAsync("walker");

        var deployment = await host.DeploymentAsync(id);

        deployment.Events.OrderBy(e => e.Id).Select(e => e.ToStatus).Should().ContainInOrder(
            DeploymentStatus.Pending, DeploymentStatus.Provisioning, DeploymentStatus.Starting, DeploymentStatus.Running);
        deployment.Events.Should().OnlyContain(e => !string.IsNullOrWhiteSpace(e.Reason));
        deployment.MachineId.Should().NotBeNull();
        deployment.RuntimeKind.Should().Be(RuntimeKind.Local);
    }

    [Fact]
    public async Task Redeploying_with_new_credentials_restarts_the_server_with_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, oldSecret) = await host.DeployEverythingAsync("rotating-creds");

        await Lifecycle.RedeployAsync(id, new Dictionary<string, string> { [McpEndpointHost.SecretName] = "the-new-value", ["EXTRA"] = "x" }, null, ct);

        (await host.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Running);
        await using var client = await host.ConnectAsync(id, token);
        var env = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: ct);
        var text = string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text));
        text.Should().Contain("the-new-value").And.NotContain(oldSecret);
    }

    [Fact]
    public async Task Restart_stops_and_starts_the_machine_and_records_both()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, _, _) = await host.DeployEverythingAsync("restarter");
        var before = (await host.DeploymentAsync(id)).Events.Count;

        await Lifecycle.RestartAsync(id, ct);

        var deployment = await host.DeploymentAsync(id);
        deployment.Status.Should().Be(DeploymentStatus.Running);
        deployment.Events.OrderBy(e => e.Id).Skip(before).Select(e => e.ToStatus).Should().Equal(
            DeploymentStatus.Stopping, DeploymentStatus.Stopped, DeploymentStatus.Starting, DeploymentStatus.Running);
    }

    [Fact]
    public async Task Deleting_destroys_the_machine_then_the_rows_credentials_and_events()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, _, _) = await host.DeployEverythingAsync("doomed");
        var machineId = (await host.DeploymentAsync(id)).MachineId!;
        var runtime = host.App.Services.GetRequiredService<MachineRuntimes>().For(RuntimeKind.Local);

        await Lifecycle.DeleteAsync(id, ct);

        (await runtime.InspectAsync(machineId, ct)).Should().BeNull("the machine is destroyed");
        await using var db = await host.App.Services.GetRequiredService<IDbContextFactory<CatwalkDbContext>>().CreateDbContextAsync(ct);
        (await db.Deployments.AnyAsync(d => d.Id == id, ct)).Should().BeFalse();
        (await db.Credentials.AnyAsync(c => c.DeploymentId == id, ct)).Should().BeFalse();
        (await db.DeploymentEvents.AnyAsync(e => e.DeploymentId == id, ct)).Should().BeFalse();
    }

    [Fact]
    public async Task A_package_that_cannot_start_ends_failed_with_the_reason_and_the_log_tail()
    {
        var ct = TestContext.Current.CancellationToken;
        var created = await Lifecycle.CreateAsync(new CreateDeploymentRequest("owner", "broken", null,
            McpServerPackages.Misbehaving, PackageRuntime.Npm, null, new Dictionary<string, string>()), ct);

        var deployment = await Eventually.ReturnsAsync(() => host.DeploymentAsync(created.Deployment.Id),
            d => d.Status == DeploymentStatus.Failed, "the deployment failed", TimeSpan.FromSeconds(30));

        deployment.ErrorMessage.Should().StartWith("The server exited with code 3 before answering initialize.");
        deployment.Events.OrderBy(e => e.Id).Last().Detail.Should().Contain("fatal: CRASHING_SERVER_REASON is unset", "the output tail is kept with the failure");
    }

    [Fact]
    public async Task A_server_that_needs_stdio_deployed_without_it_fails_within_40_seconds_with_the_hint_and_leaves_no_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var created = await Lifecycle.CreateAsync(new CreateDeploymentRequest("owner", "needs-stdio", null, McpServerPackages.Misbehaving, PackageRuntime.Npm, null,
            new Dictionary<string, string> { [McpServerPackages.MisbehavingModeVariable] = "http" }), ct);

        var deployment = await Eventually.ReturnsAsync(() => host.DeploymentAsync(created.Deployment.Id),
            d => d.Status == DeploymentStatus.Failed, "the deployment failed", TimeSpan.FromSeconds(40));

        started.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(40));
        deployment.ErrorMessage.Should().Contain("did not speak MCP on stdio").And.Contain("it may need an argument such as `--stdio`");
        var runtime = (LocalMachineRuntime)host.App.Services.GetRequiredService<MachineRuntimes>().For(RuntimeKind.Local);
        runtime.GetServerProcessId(deployment.MachineId!).Should().BeNull("a failed deployment runs nothing");
        (await runtime.InspectAsync(deployment.MachineId!, ct))!.State.Should().BeOneOf(MachineState.Failed, MachineState.Stopped);

        // Calling it answers at once with why, and starts nothing.
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, host.EndpointOf(deployment.Id))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", created.AccessToken);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        var asked = System.Diagnostics.Stopwatch.StartNew();
        using var response = await http.SendAsync(request, ct);

        asked.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "a failed deployment is not woken");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync(ct)).Should().Contain("failed: The server did not speak MCP on stdio").And.Contain("; restart it");
        (await host.DeploymentAsync(deployment.Id)).Status.Should().Be(DeploymentStatus.Failed);
        runtime.GetServerProcessId(deployment.MachineId!).Should().BeNull();
    }

    [Fact]
    public async Task Rotating_the_token_makes_the_old_one_fail_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, oldToken, _) = await host.SharedDeploymentAsync();
        await using (var before = await host.ConnectAsync(id, oldToken))
        {
            // A call just before the rotation: the endpoint's route cache now holds the old token's hash.
            (await before.ListToolsAsync(cancellationToken: ct)).Should().NotBeEmpty();
        }

        var newToken = await Lifecycle.RotateTokenAsync(id, ct);

        newToken.Should().NotBe(oldToken);
        var old = async () => await host.ConnectAsync(id, oldToken);
        await old.Should().ThrowAsync<Exception>();
        await using var client = await host.ConnectAsync(id, newToken);
        (await client.ListToolsAsync(cancellationToken: ct)).Should().NotBeEmpty();
    }
}
