using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
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
            d => d.Status == DeploymentStatus.Failed, "the deployment failed", TimeSpan.FromSeconds(90));

        deployment.ErrorMessage.Should().Contain("exit");
        deployment.Events.OrderBy(e => e.Id).Last().Detail.Should().NotBeNullOrWhiteSpace("the stderr tail is kept with the failure");
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
