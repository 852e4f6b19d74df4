using System.Text;
using System.Text.Json;
using Catwalk.Core.Machines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Catwalk.Tests.Machines.Local;

/// <summary>The in-process endpoint the forwarder uses to reach a local bridge without the network.</summary>
public sealed class LocalBridgeChannelTests
{
    [Fact]
    public async Task The_in_process_endpoint_serves_the_same_bridge_as_its_loopback_url_and_answers_mcp_as_sse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        scope.Runtime.TryGetUpstream(machine.MachineId, out var upstream).Should().BeTrue();
        upstream!.BaseUrl.Should().Be(machine.UpstreamBaseUrl);
        upstream.InProcess.Should().NotBeNull();

        var status = Request(upstream, "GET", "/status", body: null, ct);
        await upstream.InProcess!.ServeAsync(status.Context);
        status.Context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        using (var body = JsonDocument.Parse(status.Body()))
        {
            body.RootElement.GetProperty("status").GetString().Should().Be("ready");
        }

        var initialize = Request(upstream, "POST", "/mcp",
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"channel-test","version":"1"}}}""", ct);
        foreach (var (name, value) in upstream.RequiredHeaders)
        {
            initialize.Context.Request.Headers[name] = value;
        }

        await upstream.InProcess.ServeAsync(initialize.Context);

        initialize.Context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);
        initialize.Context.Response.ContentType.Should().StartWith("text/event-stream");
        initialize.Context.Response.Headers["Mcp-Session-Id"].ToString().Should().NotBeNullOrEmpty();
        initialize.Body().Should().Contain("\"serverInfo\"");
    }

    [Fact]
    public async Task The_in_process_endpoint_refuses_mcp_without_the_machine_secret()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = new LocalRuntimeScope();
        var machine = await scope.ProvisionHealthyAsync(LocalRuntimeScope.Everything());
        scope.Runtime.TryGetUpstream(machine.MachineId, out var upstream).Should().BeTrue();

        var call = Request(upstream!, "POST", "/mcp", """{"jsonrpc":"2.0","id":1,"method":"ping"}""", ct);
        await upstream!.InProcess!.ServeAsync(call.Context);

        call.Context.Response.StatusCode.Should().Be(StatusCodes.Status401Unauthorized);
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

    /// <summary>A request as a server hands it to an application: its features only, the response body in memory.</summary>
    private static (HttpContext Context, Func<string> Body) Request(MachineUpstream upstream, string method, string path, string? body, CancellationToken ct)
    {
        var responseBody = new MemoryStream();
        var request = new HttpRequestFeature
        {
            Method = method,
            Scheme = "http",
            Path = path,
            Protocol = "HTTP/1.1",
            Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? "")),
        };
        request.Headers.Host = upstream.BaseUrl.Authority;
        request.Headers.Accept = "application/json, text/event-stream";
        if (body is not null)
        {
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = Encoding.UTF8.GetByteCount(body);
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = ct });
        return (new DefaultHttpContext(features), () => Encoding.UTF8.GetString(responseBody.ToArray()));
    }
}
