using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

// Sampling is deprecated by the 2026-07-28 revision, but servers and initialize-handshake clients still use it.
#pragma warning disable MCP9005

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// Requests the upstream server sends to its client (sampling, elicitation). Over stdio they carry no link to
/// the request that caused them, so each goes to the client whose forwarded request is the most recent one
/// still waiting, among those that declared the capability; it rides on that request's stream.
/// </summary>
internal sealed partial class McpProxy
{
    /// <summary>What the bridge tells the upstream server its client can do.</summary>
    public static ClientCapabilities UpstreamClientCapabilities => new()
    {
        Sampling = new SamplingCapability(),
        Elicitation = new ElicitationCapability { Form = new FormElicitationCapability() },
    };

    public async ValueTask<CreateMessageResult> SampleAsync(CreateMessageRequestParams? parameters, IProgress<ProgressNotificationValue> progress, CancellationToken cancellationToken) =>
        await RelayToRequesterAsync<CreateMessageRequestParams, CreateMessageResult>(
            RequestMethods.SamplingCreateMessage, parameters, capabilities => capabilities.Sampling is not null, cancellationToken);

    public async ValueTask<ElicitResult> ElicitAsync(ElicitRequestParams? parameters, CancellationToken cancellationToken) =>
        await RelayToRequesterAsync<ElicitRequestParams, ElicitResult>(
            RequestMethods.ElicitationCreate, parameters, capabilities => capabilities.Elicitation is not null, cancellationToken);

    private async Task<TResult> RelayToRequesterAsync<TParams, TResult>(string method, TParams? parameters, Func<ClientCapabilities, bool> supports, CancellationToken cancellationToken)
    {
        var requester = _inFlight
            .OrderByDescending(entry => entry.Key)
            .Select(entry => entry.Value)
            .FirstOrDefault(server => server.ClientCapabilities is { } capabilities && supports(capabilities))
            ?? throw new McpProtocolException($"No connected client that supports {method} is waiting on this server.", McpErrorCode.InvalidRequest);
        var response = await requester.SendRequestAsync(
            new JsonRpcRequest { Method = method, Params = JsonSerializer.SerializeToNode(parameters, McpJsonUtilities.DefaultOptions) },
            cancellationToken);
        return response.Result.Deserialize<TResult>(McpJsonUtilities.DefaultOptions)
            ?? throw new McpProtocolException($"The client answered {method} with an empty result.", McpErrorCode.InternalError);
    }
}
