using Catwalk.Tests.Fixtures;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Catwalk.Core.Machines;
using Catwalk.Core.Packages;
using Catwalk.Tests.Fakes.FlyMachines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Catwalk.Tests.Machines.Fly;

/// <summary>
/// The fake's machines answer on loopback: with an upstream attached, a machine's <c>/status</c> and <c>/mcp</c> are
/// proxied to it, streaming, so the whole path from Catwalk to "the machine" can be exercised without Fly.
/// </summary>
public sealed class FakeMachineUpstreamTests : IAsyncLifetime
{
    private readonly TaskCompletionSource _secondEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FakeFlyMachinesApi _fake = null!;
    private WebApplication _upstream = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _fake = await FakeFlyMachinesApi.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _upstream = builder.Build();
        _upstream.MapGet("/status", () => Results.Json(new { server_instances = new { @default = "configured" } }));
        _upstream.MapPost("/mcp", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["Mcp-Session-Id"] = "session-from-machine";
            var seen = context.Request.Headers["Mcp-Session-Id"].ToString();
            await context.Response.WriteAsync($"event: message\ndata: {{\"first\":true,\"seen\":\"{seen}\"}}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await _secondEvent.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("event: message\ndata: {\"second\":true}\n\n", context.RequestAborted);
        });
        await _upstream.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _secondEvent.TrySetResult();
        await _fake.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task A_machine_with_an_upstream_streams_its_mcp_answers_through_the_machine_url()
    {
        var started = new ConcurrentQueue<IReadOnlyDictionary<string, string>>();
        var stopped = new ConcurrentQueue<string>();
        var upstreamUrl = new Uri(_upstream.Urls.First());
        _fake.Upstreams = FakeMachineUpstreams.From(
            (machine, _) =>
            {
                started.Enqueue(machine.Environment);
                return Task.FromResult<Uri?>(upstreamUrl);
            },
            (machine, _) =>
            {
                stopped.Enqueue(machine.Id);
                return Task.CompletedTask;
            });
        await using var host = await FlyRuntimeHost.StartAsync(_fake);

        var info = await host.Runtime.ProvisionAsync(new MachineSpec(Guid.NewGuid(), "@modelcontextprotocol/server-everything", PackageRuntime.Npm, null,
            new Dictionary<string, string> { ["API_KEY"] = "from-the-vault" }), Ct);

        info.State.Should().NotBe(MachineState.Failed);
        using var statusClient = new HttpClient();
        await Eventually.Until(async () =>
        {
            using var status = await statusClient.GetAsync(new Uri(info.UpstreamBaseUrl, "status"), Ct);
            return status.IsSuccessStatusCode;
        }, "the machine's /status is answered by its upstream");
        started.Should().ContainSingle().Which.Should().Contain("MCP_PACKAGE", "@modelcontextprotocol/server-everything").And.Contain("API_KEY", "from-the-vault");

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(info.UpstreamBaseUrl, "mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", MediaTypeHeaderValue.Parse("application/json")),
        };
        request.Headers.Add("Mcp-Session-Id", "session-from-client");
        _ = host.Runtime.TryGetUpstream(info.MachineId, out var upstream);
        request.Headers.Add(MachineSecret.HeaderName, upstream!.RequiredHeaders[MachineSecret.HeaderName]);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        response.Headers.GetValues("Mcp-Session-Id").Should().Equal("session-from-machine");
        (await reader.ReadLineAsync(Ct)).Should().Be("event: message");
        (await reader.ReadLineAsync(Ct)).Should().Be("""data: {"first":true,"seen":"session-from-client"}""", "the first event arrives while the upstream still holds the stream");
        _secondEvent.SetResult();
        (await reader.ReadToEndAsync(Ct)).Should().Contain("""data: {"second":true}""");

        await host.Runtime.DestroyAsync(info.MachineId, Ct);
        await Eventually.Until(() => stopped.Contains(info.MachineId), "the upstream was told the machine is gone");
    }

    [Fact]
    public async Task Without_an_upstream_the_stub_answers_status_and_echoes_mcp_calls_with_the_machine_id()
    {
        await using var host = await FlyRuntimeHost.StartAsync(_fake);
        var info = await host.Runtime.ProvisionAsync(new MachineSpec(Guid.NewGuid(), "tavily-mcp", PackageRuntime.Npm, null, new Dictionary<string, string>()), Ct);
        using var http = new HttpClient();

        _ = host.Runtime.TryGetUpstream(info.MachineId, out var upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(info.UpstreamBaseUrl, "mcp"))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":7,"method":"tools/list"}""", MediaTypeHeaderValue.Parse("application/json")),
        };
        request.Headers.Add(MachineSecret.HeaderName, upstream!.RequiredHeaders[MachineSecret.HeaderName]);
        var reply = await http.SendAsync(request, Ct);

        (await reply.Content.ReadAsStringAsync(Ct)).Should().Be($$$"""{"jsonrpc":"2.0","id":7,"result":{"machineId":"{{{info.MachineId}}}","method":"tools/list"}}""");
        await host.Runtime.StopAsync(info.MachineId, Ct);
        (await http.GetAsync(new Uri(info.UpstreamBaseUrl, "status"), Ct)).StatusCode.Should().Be(System.Net.HttpStatusCode.BadGateway,
            "a stopped machine answers nothing");
    }
}
