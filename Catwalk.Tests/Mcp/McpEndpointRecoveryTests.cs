using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines.Local;
using Catwalk.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Catwalk.Tests.Mcp;

/// <summary>A server process that dies under a deployment: clients get 502 while it restarts, then it recovers.</summary>
public sealed class McpEndpointRecoveryTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly McpEndpointHost _host = new(postgres);

    public ValueTask InitializeAsync()
    {
        // A slow restart and an impatient bridge make the gap visible to a request.
        _host.ExtraSettings["CATWALK_LOCAL_RESTART_BACKOFF_SECONDS"] = "3";
        _host.ExtraSettings["CATWALK_LOCAL_REQUEST_READY_TIMEOUT_SECONDS"] = "0.5";
        return _host.InitializeAsync();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_killed_server_process_gives_502_with_a_json_rpc_error_then_the_deployment_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var (id, token, _) = await _host.DeployEverythingAsync("crashy");
        var machineId = (await _host.DeploymentAsync(id)).MachineId!;
        var runtime = _host.App.Services.GetRequiredService<LocalMachineRuntime>();
        var pid = runtime.GetServerProcessId(machineId)!.Value;

        using (var victim = Process.GetProcessById(pid))
        {
            victim.Kill(entireProcessTree: true);
        }

        using var http = new HttpClient();
        var failed = await Eventually.ReturnsAsync(async () =>
        {
            using var request = McpEndpointTests.RawPost(_host.EndpointOf(id), token,
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
            using var response = await http.SendAsync(request, ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(ct));
        }, r => r.StatusCode == HttpStatusCode.BadGateway, "a request during the restart gets 502", TimeSpan.FromSeconds(10));
        JsonNode.Parse(failed.Body)!["error"]!["message"]!.GetValue<string>().Should().Contain("restarted");

        await Eventually.Until(async () =>
        {
            try
            {
                await using var client = await _host.ConnectAsync(id, token);
                return (await client.ListToolsAsync(cancellationToken: ct)).Count > 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or ModelContextProtocol.McpException)
            {
                return false;
            }
        }, "the restarted server answers through the endpoint again", TimeSpan.FromSeconds(30));
        (await _host.DeploymentAsync(id)).Status.Should().BeOneOf(DeploymentStatus.Running, DeploymentStatus.Unhealthy);
        await _host.WaitForStatusAsync(id, DeploymentStatus.Running);
    }
}
