using System.Net;
using Catwalk.Core.Cluster;
using Catwalk.Tests.Fixtures;
using Catwalk.Tests.Mcp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Catwalk.Tests.Cluster;

/// <summary>
/// Two Catwalk instances (A and B) on one database, both on the Fly runtime against one fake Machines API whose machines
/// run the real server-everything: what <c>fly scale count 2</c> runs.
/// </summary>
public sealed class ScaleOutHost(PostgresServer postgres) : IAsyncLifetime
{
    public FlyMcpEndpointHost Fly { get; } = new(postgres);

    public McpEndpointHost A => Fly.Catwalk;

    public McpEndpointHost B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Fly.InitializeAsync();
        B = await Fly.StartAnotherInstanceAsync();
    }

    public ValueTask DisposeAsync() => Fly.DisposeAsync();

    public static string InstanceIdOf(McpEndpointHost instance) =>
        instance.App.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.InstanceId;

    /// <summary>A raw MCP <c>initialize</c> through the instance's endpoint; the status code it got.</summary>
    public static async Task<HttpStatusCode> InitializeThroughAsync(McpEndpointHost instance, Guid id, string token)
    {
        using var http = new HttpClient();
        using var request = McpEndpointTests.RawPost(instance.EndpointOf(id), token,
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
