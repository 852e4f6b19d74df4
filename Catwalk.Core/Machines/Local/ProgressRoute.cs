using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Where the progress of one forwarded request goes: the requesting client's own response stream, under the
/// token that client chose. Upstream the request carries a token unique across all sessions, so two clients
/// using the same token never see each other's progress. Relays are sent in order, and the forwarded response
/// waits for them so no progress notification arrives after it.
/// </summary>
internal sealed partial class ProgressRoute(McpServer destination, JsonNode clientToken, ILogger logger)
{
    private readonly Lock _gate = new();
    private Task _relayed = Task.CompletedTask;

    /// <summary>Every relay queued so far has been sent (or failed).</summary>
    public Task Relayed
    {
        get
        {
            lock (_gate)
            {
                return _relayed;
            }
        }
    }

    public void Relay(JsonObject upstreamParameters)
    {
        var parameters = (JsonObject)upstreamParameters.DeepClone();
        parameters["progressToken"] = clientToken.DeepClone();
        lock (_gate)
        {
            _relayed = SendAfterAsync(_relayed, parameters);
        }
    }

    private async Task SendAfterAsync(Task previous, JsonObject parameters)
    {
        await previous;
        try
        {
            await destination.SendMessageAsync(new JsonRpcNotification { Method = NotificationMethods.ProgressNotification, Params = parameters });
        }
        catch (Exception exception)
        {
            // The client went away or its response already ended: the progress has nowhere to go.
            LogProgressDropped(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A progress notification could not be delivered to its client.")]
    private static partial void LogProgressDropped(ILogger logger, Exception exception);
}
