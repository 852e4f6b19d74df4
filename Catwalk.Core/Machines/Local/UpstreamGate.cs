using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Catwalk.Core.Machines.Local;

/// <summary>
/// The bridge's way to the stdio server: the client of the server's current run once it answered
/// initialize, or nothing while it starts, restarts or is stopped. Requests wait here for a (re)starting server.
/// </summary>
internal sealed class UpstreamGate(TimeSpan readyTimeout)
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<McpClient> _ready = NewReady();

    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>The ready client, or null while the server is not ready; never waits.</summary>
    public McpClient? Current
    {
        get
        {
            lock (_gate)
            {
                return _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;
            }
        }
    }

    /// <summary>What the server said about itself when it last answered initialize (kept across restarts).</summary>
    public ServerCapabilities? Capabilities { get; private set; }

    public Implementation? ServerInfo { get; private set; }

    public string? Instructions { get; private set; }

    /// <summary>Why the server's last run ended, while it is being restarted after a crash; null otherwise.</summary>
    public string? CrashReason { get; private set; }

    /// <summary>The server crashed (rather than being stopped): requests that cannot wait get 502, not 503.</summary>
    public void MarkCrashed(string reason) => CrashReason = reason;

    public void Open(McpClient client)
    {
        lock (_gate)
        {
            CrashReason = null;
            Capabilities = client.ServerCapabilities;
            ServerInfo = client.ServerInfo;
            Instructions = client.ServerInstructions;
            if (!_ready.TrySetResult(client))
            {
                _ready = NewReady();
                _ready.SetResult(client);
            }
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            if (_ready.Task.IsCompleted)
            {
                _ready = NewReady();
            }
        }
    }

    /// <summary>The ready client; waits up to the request-ready timeout for a (re)starting server.</summary>
    public async Task<McpClient> WaitAsync(CancellationToken cancellationToken)
    {
        Task<McpClient> ready;
        lock (_gate)
        {
            ready = _ready.Task;
        }

        try
        {
            return await ready.WaitAsync(readyTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new McpProtocolException(
                $"The MCP server is not running (it is starting, restarting or stopped); it did not become ready within {readyTimeout.TotalSeconds:0} s.",
                McpErrorCode.InternalError);
        }
    }

    /// <summary>True when the server became ready within the request-ready timeout.</summary>
    public async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitAsync(cancellationToken);
            return true;
        }
        catch (McpProtocolException)
        {
            return false;
        }
    }

    private static TaskCompletionSource<McpClient> NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
