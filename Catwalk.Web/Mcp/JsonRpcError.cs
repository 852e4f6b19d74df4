using System.Text.Json;

namespace Catwalk.Web.Mcp;

/// <summary>Catwalk's own answers on the MCP endpoint, as JSON-RPC error bodies MCP clients can show.</summary>
internal static class JsonRpcError
{
    public const int Unauthorized = -32001;
    public const int NotFound = -32002;
    public const int Unavailable = -32003;
    public const int UpstreamFailed = -32004;
    public const int TooLarge = -32005;
    public const int Forbidden = -32006;

    public static async Task WriteAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new { jsonrpc = "2.0", id = (object?)null, error = new { code, message } };
        await context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
