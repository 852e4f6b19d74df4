using ModelContextProtocol.Client;

namespace Catwalk.Web.Components.Shared;

/// <summary>
/// "Test connection": an MCP client (the official SDK over Streamable HTTP) runs initialize and tools/list through the
/// deployment's public endpoint, exactly as the user's client will.
/// </summary>
public sealed class McpConnectionTest(ILoggerFactory loggers)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public async Task<McpConnectionResult> RunAsync(Uri endpoint, string token, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            var transport = new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
            }, loggers);
            await using var client = await McpClient.CreateAsync(transport, loggerFactory: loggers, cancellationToken: deadline.Token);
            var tools = await client.ListToolsAsync(cancellationToken: deadline.Token);
            return new McpConnectionResult(
                client.ServerInfo?.Name,
                client.ServerInfo?.Version,
                tools.Select(t => new McpToolSummary(t.Name, t.Description)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList(),
                null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return McpConnectionResult.Failed($"No answer within {Timeout.TotalSeconds:0} seconds.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return McpConnectionResult.Failed(ex.Message);
        }
    }
}

/// <summary>What the test found: the server and its tools, or why it failed.</summary>
public sealed record McpConnectionResult(string? ServerName, string? ServerVersion, IReadOnlyList<McpToolSummary> Tools, string? Error)
{
    public bool Succeeded => Error is null;

    public static McpConnectionResult Failed(string error) => new(null, null, [], error);
}

public sealed record McpToolSummary(string Name, string? Description);
