using ModelContextProtocol.Server;

namespace Catwalk.Core.Machines.Local;

/// <summary>One MCP client session on the bridge (initialize-handshake revisions): what it subscribed to and its log level.</summary>
internal sealed class ProxySession(McpServer server)
{
    private readonly HashSet<string> _subscriptions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public McpServer Server { get; } = server;

    /// <summary>The rank of the minimum log level the session asked for (see <c>McpProxy.LogLevels</c>), or null.</summary>
    public int? LogLevel { get; set; }

    public bool Subscribe(string uri)
    {
        lock (_gate)
        {
            return _subscriptions.Add(uri);
        }
    }

    public bool Unsubscribe(string uri)
    {
        lock (_gate)
        {
            return _subscriptions.Remove(uri);
        }
    }

    public bool IsSubscribedTo(string uri)
    {
        lock (_gate)
        {
            return _subscriptions.Contains(uri);
        }
    }

    /// <summary>Removes and returns every subscription (the session ended).</summary>
    public string[] UnsubscribeAll()
    {
        lock (_gate)
        {
            var all = _subscriptions.ToArray();
            _subscriptions.Clear();
            return all;
        }
    }
}
