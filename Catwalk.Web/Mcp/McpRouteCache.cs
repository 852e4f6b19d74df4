using System.Collections.Concurrent;
using Catwalk.Core;
using Catwalk.Core.Cluster;
using Catwalk.Core.Deployments;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Keeps each deployment's route row (token hash, status, machine), so a burst of MCP calls does not read the database
/// per request. Every change any instance makes arrives on the status feed (this instance's in process, the others'
/// through PostgreSQL <c>LISTEN</c>) and drops the entry at once: a rotated token is refused on the next request
/// everywhere. Entries are kept and used only while this instance hears the other instances
/// (<see cref="ClusterFeedState.IsListening"/>); losing that connection drops them all.
/// </summary>
internal sealed class McpRouteCache : IDisposable
{
    private readonly ConcurrentDictionary<Guid, CachedRoute> _entries = new();
    private readonly Lock _writes = new();
    private readonly ClusterFeedState _listener;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly IDisposable _subscription;
    private long _version;

    public McpRouteCache(DeploymentStatusFeed feed, ClusterFeedState listener, TimeProvider time, TimeSpan lifetime)
    {
        _listener = listener;
        _time = time;
        _lifetime = lifetime;
        _subscription = feed.Subscribe(OnUpdate);
    }

    /// <summary>Changes with every drop: a row read before one must not be stored after it (pass it to <see cref="Set"/>).</summary>
    public long Version => Interlocked.Read(ref _version);

    public bool TryGet(Guid id, out CachedRoute route)
    {
        if (_listener.IsListening && _entries.TryGetValue(id, out var entry) && entry.ExpiresAt > _time.GetUtcNow())
        {
            route = entry;
            return true;
        }

        route = null!;
        return false;
    }

    /// <summary>Stores a row read from the database when nothing was dropped since <paramref name="versionBeforeRead"/>.</summary>
    public void Set(McpRouteRow row, long versionBeforeRead)
    {
        if (_lifetime <= TimeSpan.Zero || !_listener.IsListening)
        {
            return;
        }

        lock (_writes)
        {
            if (_version == versionBeforeRead)
            {
                _entries[row.Id] = new CachedRoute(row, _time.GetUtcNow() + _lifetime);
            }
        }
    }

    public void Forget(Guid id)
    {
        lock (_writes)
        {
            _version++;
            _entries.TryRemove(id, out _);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private void ForgetAll()
    {
        lock (_writes)
        {
            _version++;
            _entries.Clear();
        }
    }

    private Task OnUpdate(StatusUpdate update)
    {
        switch (update)
        {
            case DeploymentStatusChanged changed:
                Forget(changed.DeploymentId);
                break;
            case DeploymentTokenRotated rotated:
                Forget(rotated.DeploymentId);
                break;
            case StatusFeedInterrupted:
                // Updates may have been missed (or, once listening again, rows read meanwhile may be stale).
                ForgetAll();
                break;
            case MachineRemoved removed:
                foreach (var (id, entry) in _entries)
                {
                    if (entry.Row.MachineId == removed.MachineId)
                    {
                        Forget(id);
                    }
                }

                break;
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A cached route, and the deployment token last found to match its hash: the same token presented again is compared
/// with it in constant time instead of being hashed again (SHA-256 through OpenSSL cost about 8 µs of a forwarded call
/// here). The token lives only as long as the entry, which any change to the deployment drops.
/// </summary>
internal sealed class CachedRoute(McpRouteRow row, DateTimeOffset expiresAt)
{
    private string? _verifiedToken;

    public McpRouteRow Row => row;

    public DateTimeOffset ExpiresAt => expiresAt;

    public bool WasVerified(string token) => Volatile.Read(ref _verifiedToken) is { } verified && ConstantTime.TextEquals(verified, token);

    public void Verified(string token) => Volatile.Write(ref _verifiedToken, token);
}

/// <summary>What the endpoint reads of a deployment to authorise and route a request.</summary>
internal sealed record McpRouteRow(Guid Id, string AccessTokenHash, DeploymentStatus Status, Core.Machines.RuntimeKind RuntimeKind, string? MachineId);
