using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// logging/setLevel is deprecated by the 2026-07-28 revision, but the initialize-handshake clients the bridge
// serves (2025-03-26 to 2025-11-25) still use it.
#pragma warning disable MCP9005

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Log levels: each session keeps the level it asked for; the upstream server is set to the most verbose of
/// them, and each session then only receives messages at or above its own level.
/// </summary>
internal sealed partial class McpProxy
{
    /// <summary>RFC 5424 severities as MCP names them, least severe first.</summary>
    private static readonly string[] LogLevels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    private int? _appliedLogLevel;

    private static int? RankOf(string level)
    {
        var rank = Array.IndexOf(LogLevels, level);
        return rank < 0 ? null : rank;
    }

    private void ConfigureLogging(McpServerHandlers handlers) => handlers.SetLoggingLevelHandler = SetLogLevelAsync;

    private async ValueTask<EmptyResult> SetLogLevelAsync(RequestContext<SetLevelRequestParams> request, CancellationToken cancellationToken)
    {
        var level = request.JsonRpcRequest.Params?["level"] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? RankOf(value.GetValue<string>())
            : null;
        await _upstreamState.WaitAsync(cancellationToken);
        try
        {
            if (SessionOf(request.Server) is { } session)
            {
                session.LogLevel = level;
            }

            if (upstream.Current is { } client)
            {
                await ApplyLogLevelAsync(client, cancellationToken);
            }
        }
        finally
        {
            _upstreamState.Release();
        }

        return new EmptyResult();
    }

    // Callers hold _upstreamState.
    private async Task ApplyLogLevelAsync(McpClient client, CancellationToken cancellationToken)
    {
        var wanted = _sessions.Values.Select(session => session.LogLevel).Where(level => level is not null).Min();
        if (wanted is null || wanted == _appliedLogLevel || client.ServerCapabilities.Logging is null)
        {
            return;
        }

        await SendUpstreamAsync(client, RequestMethods.LoggingSetLevel, new JsonObject { ["level"] = LogLevels[wanted.Value] }, cancellationToken);
        _appliedLogLevel = wanted;
    }
}
