using System.Net;
using System.Text.Json;
using Catwalk.Core.Machines;

namespace Catwalk.Tests.Machines.Local;

/// <summary>The in-process channel the forwarder uses to reach a local bridge without the network.</summary>
public sealed class LocalBridgeChannelTests
{
    [Fact]
    public async Task The_channel_serves_the_same_bridge_as_its_loopback_url_and_answers_mcp_as_sse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        scope.Runtime.TryGetUpstream(machine.MachineId, out var upstream).Should().BeTrue();
        upstream!.BaseUrl.Should().Be(machine.UpstreamBaseUrl);
        upstream.Channel.Should().NotBeNull();

        using var status = await upstream.Channel!.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(upstream.BaseUrl, "status")), ct);
        status.StatusCode.Should().Be(HttpStatusCode.OK);
        using (var body = JsonDocument.Parse(await status.Content.ReadAsStringAsync(ct)))
        {
            body.RootElement.GetProperty("status").GetString().Should().Be("ready");
        }

        using var initialize = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUrl, "mcp"))
        {
            Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"channel-test","version":"1"}}}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        initialize.Headers.Accept.ParseAdd("application/json, text/event-stream");
        foreach (var (name, value) in upstream.RequiredHeaders)
        {
            initialize.Headers.Add(name, value);
        }

        using var answer = await upstream.Channel.SendAsync(initialize, ct);

        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        answer.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        answer.Headers.GetValues("Mcp-Session-Id").Should().ContainSingle().Which.Should().NotBeNullOrEmpty();
        (await answer.Content.ReadAsStringAsync(ct)).Should().Contain("\"serverInfo\"");
    }

    [Fact]
    public async Task A_destroyed_machine_leaves_no_upstream_behind()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());

        await scope.Runtime.DestroyAsync(machine.MachineId, ct);

        scope.Runtime.TryGetUpstream(machine.MachineId, out var upstream).Should().BeFalse();
        upstream.Should().BeNull();
    }
}
