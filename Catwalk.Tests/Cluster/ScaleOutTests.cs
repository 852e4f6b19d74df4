using System.Collections.Concurrent;
using System.Net;
using Bunit;
using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fakes.FlyMachines;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Web.Ui;
using Catwalk.Web.Components.Deployments;
using Catwalk.Web.Mcp;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Npgsql;
using TestContext = Xunit.TestContext;

namespace Catwalk.Tests.Cluster;

/// <summary>
/// Two instances on one database act as one service: what one does, the other serves, refuses and shows at once; the
/// background duties run once; one operation at a time per deployment across both.
/// </summary>
public sealed class ScaleOutTests(ScaleOutHost host) : IClassFixture<ScaleOutHost>
{
    private const string Owner = "owner-fly-e2e";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeFlyMachinesApi Fly => host.Fly.Fly;

    [Fact]
    public async Task A_deployment_created_on_one_instance_is_served_by_the_other_instance_endpoint()
    {
        var (id, token, secret) = await host.Fly.DeployEverythingAsync("made-on-a");

        await using var client = await host.B.ConnectAsync(id, token);
        var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "through instance b" }, cancellationToken: Ct);
        echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: through instance b");
        var env = await client.CallToolAsync("get-env", new Dictionary<string, object?>(), cancellationToken: Ct);
        string.Concat(env.Content.OfType<TextContentBlock>().Select(b => b.Text)).Should().Contain(secret, "B reached the machine A made, with its credentials");
    }

    [Fact]
    public async Task A_token_rotated_on_one_instance_is_refused_by_the_other_on_its_very_next_request()
    {
        var (id, token, _) = await host.Fly.DeployEverythingAsync("rotated-on-a");
        (await ScaleOutHost.InitializeThroughAsync(host.B, id, token)).Should().Be(HttpStatusCode.OK, "B now holds the route in its cache");

        for (var round = 1; round <= 5; round++)
        {
            var rotated = await host.A.Lifecycle.RotateTokenAsync(id, Ct);

            (await ScaleOutHost.InitializeThroughAsync(host.B, id, token)).Should().Be(HttpStatusCode.Unauthorized, "round {0}: the old token is refused at once", round);
            (await ScaleOutHost.InitializeThroughAsync(host.B, id, rotated)).Should().Be(HttpStatusCode.OK, "round {0}: the new token works (and is cached again)", round);
            token = rotated;
        }
    }

    [Fact]
    public async Task A_stop_made_on_one_instance_shows_on_the_other_instance_deployments_page_without_a_reload()
    {
        var name = "stopped-on-a-" + Guid.NewGuid().ToString("N")[..6];
        var (id, _, _) = await host.Fly.DeployEverythingAsync(name);
        await using var ctx = new UiTestContext(Ct, userId: Owner, hostServices: host.B.App.Services);
        var page = ctx.Render<DeploymentsPage>();
        page.WaitForAssertion(() => Chip(page, name).Should().Be("Running"));

        await host.A.Lifecycle.StopAsync(id, "Stopped on instance A", Ct);

        page.WaitForAssertion(() => Chip(page, name).Should().Be("Stopped"), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task In_a_browser_an_admins_machines_page_on_one_instance_shows_a_stop_made_on_the_other_live()
    {
        var (id, _, _) = await host.Fly.DeployEverythingAsync("watched-across");
        var machineId = host.Fly.MachinesOf(id).Single().Id;
        const string email = "scaleout-admin@example.test", password = "scale-out admin passphrase";
        using (var scope = host.B.App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<Catwalk.Web.Accounts.AccountProvisioning>().EnsureUserAsync(email, password, admin: true, "test", Ct);
        }

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.NewPageAsync(host.B.App.BaseAddress);
        await page.GotoAsync("/account/login");
        await page.FillAsync("input[name='Input.Email']", email);
        await page.FillAsync("input[name='Input.Password']", password);
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        await page.GotoAsync("/admin/machines");
        await Web.Browser.BrowserAppHost.WaitForCircuitAsync(page);
        var state = page.Locator($"[data-testid='machine-row-{machineId}'] [data-testid=machine-state]");
        await Microsoft.Playwright.Assertions.Expect(state).ToHaveAttributeAsync("data-state", "Started", new() { Timeout = 45_000 });

        await host.A.Lifecycle.StopAsync(id, "Stopped on instance A", Ct);

        await Microsoft.Playwright.Assertions.Expect(state).ToHaveAttributeAsync("data-state", "Stopped", new() { Timeout = 45_000 });
    }

    [Fact]
    public async Task Both_instances_running_for_a_while_make_one_machine_and_two_simultaneous_wakes_start_it_once()
    {
        var (id, token, _) = await host.Fly.DeployEverythingAsync("one-machine");
        var machine = host.Fly.MachinesOf(id).Should().ContainSingle().Subject;
        await WaitForReconciliationRoundsAsync(4);
        CreatesOf(id).Should().Be(1);
        CallsOn(machine.Id, FlyCall.Stop).Should().Be(0, "nothing stopped a running, busy deployment");
        CallsOn(machine.Id, FlyCall.Start).Should().Be(0);

        await host.A.Lifecycle.StopAsync(id, "Stopped for the wake race", Ct);
        CallsOn(machine.Id, FlyCall.Stop).Should().Be(1);

        // Two requests, one per instance, both finding the deployment stopped: one wake, the other waits for it.
        var wakes = await Task.WhenAll(
            ScaleOutHost.InitializeThroughAsync(host.A, id, token),
            ScaleOutHost.InitializeThroughAsync(host.B, id, token));
        wakes.Should().AllBeEquivalentTo(HttpStatusCode.OK);
        await WaitForReconciliationRoundsAsync(4);

        CallsOn(machine.Id, FlyCall.Start).Should().Be(1, "two instances woke it at once; it started once");
        CallsOn(machine.Id, FlyCall.Stop).Should().Be(1);
        CreatesOf(id).Should().Be(1);
        (await host.A.DeploymentAsync(id)).Events.Count(e => e.Reason == "Woken by a request").Should().Be(1);
    }

    [Fact]
    public async Task Exactly_one_instance_runs_the_background_duties()
    {
        var leaders = new[] { host.A, host.B }.Select(i => i.App.Services.GetRequiredService<BackgroundDutyLeadership>()).ToList();

        await Eventually.Until(() => leaders.Count(l => l.IsLeader) == 1, "one of the two instances leads");

        leaders.Count(l => l.IsLeader).Should().Be(1);
    }

    [Fact]
    public async Task Losing_the_connection_that_carries_the_feed_drops_the_route_cache_and_listens_again()
    {
        var (id, token, _) = await host.Fly.DeployEverythingAsync("feed-lost");
        var cache = host.B.App.Services.GetRequiredService<McpRouteCache>();
        var listener = host.B.App.Services.GetRequiredService<ClusterFeedState>();
        var heard = new ConcurrentQueue<StatusFeedInterrupted>();
        using var subscription = host.B.App.Services.GetRequiredService<DeploymentStatusFeed>().Subscribe(update =>
        {
            if (update is StatusFeedInterrupted interrupted)
            {
                heard.Enqueue(interrupted);
            }

            return Task.CompletedTask;
        });
        (await ScaleOutHost.InitializeThroughAsync(host.B, id, token)).Should().Be(HttpStatusCode.OK);
        cache.TryGet(id, out _).Should().BeTrue("B cached the route");

        await TerminateSessionsOfAsync(host.B);

        await Eventually.Until(() => heard.Any(h => !h.Listening) && heard.Any(h => h.Listening) && listener.IsListening, "B lost its feed and listens again");
        cache.TryGet(id, out _).Should().BeFalse("what was cached may have missed changes while nobody listened");
        var rotated = await host.A.Lifecycle.RotateTokenAsync(id, Ct);
        (await ScaleOutHost.InitializeThroughAsync(host.B, id, token)).Should().Be(HttpStatusCode.Unauthorized);
        (await ScaleOutHost.InitializeThroughAsync(host.B, id, rotated)).Should().Be(HttpStatusCode.OK);
    }

    private int CreatesOf(Guid id) => Fly.Requests.Count(r => r.Call == FlyCall.Create && r.Body!.Contains(id.ToString(), StringComparison.Ordinal));

    private int CallsOn(string machineId, FlyCall call) =>
        Fly.Requests.Count(r => r.Call == call && r.PathAndQuery.Contains("/machines/" + machineId, StringComparison.Ordinal));

    /// <summary>"A while": until the leader's reconciler has listed the machines this many more times (each round lists them).</summary>
    private Task WaitForReconciliationRoundsAsync(int rounds)
    {
        var target = Fly.CountOf(FlyCall.List) + rounds;
        return Eventually.Until(() => Fly.CountOf(FlyCall.List) >= target, $"{rounds} more reconciliation rounds", TimeSpan.FromSeconds(30));
    }

    /// <summary>What a network failure does to one instance: PostgreSQL ends every session it holds on its own
    /// (the feed's LISTEN and, when it leads, the leader lock).</summary>
    private static async Task TerminateSessionsOfAsync(Mcp.McpEndpointHost instance)
    {
        await using var connection = new NpgsqlConnection(instance.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE $1", connection);
        command.Parameters.Add(new() { Value = ClusterDatabase.Describe(ScaleOutHost.InstanceIdOf(instance), "%") });
        ((long)(await command.ExecuteScalarAsync(Ct))!).Should().BeGreaterThan(0, "the instance holds dedicated sessions");
    }

    private static string? Chip(IRenderedComponent<DeploymentsPage> page, string name) =>
        page.Find($"[data-testid='row-status-{name}'] [data-testid=status-chip]").GetAttribute("data-status");
}
