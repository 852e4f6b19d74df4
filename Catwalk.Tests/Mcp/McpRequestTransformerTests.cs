using Catwalk.Core.Machines;
using Catwalk.Web.Mcp;
using Microsoft.AspNetCore.Http;

namespace Catwalk.Tests.Mcp;

public sealed class McpRequestTransformerTests
{
    [Fact]
    public async Task The_access_token_is_stripped_from_the_query_and_the_authorization_header_but_mcp_headers_pass()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.QueryString = new QueryString("?token=secret-token&keep=1");
        context.Request.Headers.Authorization = "Bearer secret-token";
        context.Request.Headers["Mcp-Session-Id"] = "abc";
        context.Request.Headers["Mcp-Param-Region"] = "eu";
        context.Request.Headers["MCP-Protocol-Version"] = "2025-11-25";
        context.Request.Headers["Last-Event-ID"] = "42";
        using var proxyRequest = new HttpRequestMessage(HttpMethod.Post, "http://placeholder/");

        await McpRequestTransformer.For(new MachineUpstream(new Uri("http://127.0.0.1:9/"))).TransformRequestAsync(context, proxyRequest, "http://127.0.0.1:9/mcp", CancellationToken.None);

        proxyRequest.RequestUri.Should().Be(new Uri("http://127.0.0.1:9/mcp?keep=1"));
        proxyRequest.Headers.Authorization.Should().BeNull();
        proxyRequest.Headers.GetValues("Mcp-Session-Id").Should().Equal("abc");
        proxyRequest.Headers.GetValues("Mcp-Param-Region").Should().Equal("eu");
        proxyRequest.Headers.GetValues("MCP-Protocol-Version").Should().Equal("2025-11-25");
        proxyRequest.Headers.GetValues("Last-Event-ID").Should().Equal("42");
    }

    [Fact]
    public async Task The_machine_secret_replaces_whatever_the_client_sent_under_its_header()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Headers["X-Catwalk-Machine-Secret"] = "forged-by-client";
        using var proxyRequest = new HttpRequestMessage(HttpMethod.Post, "http://placeholder/");
        var upstream = new MachineUpstream(new Uri("http://127.0.0.1:9/"), new Dictionary<string, string> { ["X-Catwalk-Machine-Secret"] = "machine-secret" });

        await McpRequestTransformer.For(upstream).TransformRequestAsync(context, proxyRequest, "http://127.0.0.1:9/mcp", CancellationToken.None);

        proxyRequest.Headers.GetValues("X-Catwalk-Machine-Secret").Should().Equal("machine-secret");
    }
}
