using System.Diagnostics;
using Catwalk.Core.Deployments;
using Catwalk.Tests.Fixtures;
using ModelContextProtocol.Protocol;

namespace Catwalk.Tests.Mcp;

/// <summary>Deployments without requests for CATWALK_IDLE_TIMEOUT are stopped by the monitor, and woken by the next request.</summary>
public sealed class McpEndpointIdleTests(PostgresServer postgres) : IAsyncLifetime
{
    // CATWALK_IDLE_TIMEOUT is in minutes and takes fractions: 0.05 minutes is 3 seconds.
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(3);
    private readonly McpEndpointHost _host = new(postgres);

    public ValueTask InitializeAsync()
    {
        _host.ExtraSettings["CATWALK_IDLE_TIMEOUT"] = "0.05";
        _host.ExtraSettings["CATWALK_MONITOR_INTERVAL"] = "0.5";
        return _host.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_deployment_in_use_keeps_running_an_idle_one_is_stopped_with_a_reason_and_the_next_request_wakes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = await _host.DeployEverythingAsync("idle");

        await using (var client = await _host.ConnectAsync(id, token))
        {
            // Requests for twice the idle timeout: the monitor passes meanwhile and must leave it running.
            var busy = Stopwatch.StartNew();
            while (busy.Elapsed < IdleTimeout * 2)
            {
                await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "busy" }, cancellationToken: ct);
            }

            (await _host.DeploymentAsync(id)).Status.Should().Be(DeploymentStatus.Running, "a deployment that receives requests is not idle");
        }

        var stopped = await _host.WaitForStatusAsync(id, DeploymentStatus.Stopped, TimeSpan.FromSeconds(30));
        stopped.Events.Should().ContainSingle(e => e.ToStatus == DeploymentStatus.Stopping, "the monitor stopped it once")
            .Which.Reason.Should().Be("Idle for 3 seconds; the next request wakes it");

        await using (var client = await _host.ConnectAsync(id, token))
        {
            var echo = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "awake" }, cancellationToken: ct);
            echo.Content.OfType<TextContentBlock>().Single().Text.Should().Be("Echo: awake");
        }

        var woken = await _host.DeploymentAsync(id);
        woken.Events.Should().ContainSingle(e => e.Reason == "Woken by a request");
        woken.Events.Where(e => e.ToStatus == DeploymentStatus.Running).Should().HaveCountGreaterThanOrEqualTo(2, "it ran, was stopped, and runs again");
    }
}
