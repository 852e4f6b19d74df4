using System.Text.Json;
using System.Text.Json.Nodes;

namespace Catwalk.Web.Components.Shared;

/// <summary>Ready-to-paste configuration for the MCP clients people use, from an endpoint and its access token.</summary>
public static class ConnectSnippets
{
    /// <summary>Shown instead of the token where it is not known (it is shown only once).</summary>
    public const string TokenPlaceholder = "YOUR_ACCESS_TOKEN";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Claude Desktop's <c>mcpServers</c> entry: Desktop runs stdio servers, so <c>mcp-remote</c> bridges to the
    /// endpoint; the header goes through an environment variable because spaces in arguments break on Windows.</summary>
    public static string ClaudeDesktop(string name, Uri endpoint, string? token) =>
        new JsonObject
        {
            ["mcpServers"] = new JsonObject
            {
                [name] = new JsonObject
                {
                    ["command"] = "npx",
                    ["args"] = new JsonArray("-y", "mcp-remote", endpoint.AbsoluteUri, "--header", "Authorization:${AUTH_HEADER}"),
                    ["env"] = new JsonObject { ["AUTH_HEADER"] = "Bearer " + (token ?? TokenPlaceholder) },
                },
            },
        }.ToJsonString(Indented);

    /// <summary>Claude Code speaks MCP's OAuth: no header, it signs in through Catwalk on first use (<c>/mcp</c>).</summary>
    public static string ClaudeCodeWithSignIn(string name, Uri endpoint) =>
        $"claude mcp add --transport http {name} {endpoint.AbsoluteUri}";

    public static string ClaudeCode(string name, Uri endpoint, string? token) =>
        $"claude mcp add --transport http {name} {endpoint.AbsoluteUri} --header \"Authorization: Bearer {token ?? TokenPlaceholder}\"";

    /// <summary>claude.ai custom connectors take a URL only, so the token rides in the query string.</summary>
    public static string ClaudeAiConnectorUrl(Uri endpoint, string? token) =>
        $"{endpoint.AbsoluteUri}?token={Uri.EscapeDataString(token ?? TokenPlaceholder)}";
}
