using System.Collections.Concurrent;
using Catwalk.Core.Deployments;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Keeps each deployment's route row (token hash, status, machine) for a few seconds, so a burst of MCP calls does not
/// read the database per request. Every change this instance makes arrives on the status feed and drops the entry at
/// once; the short lifetime bounds what another Catwalk instance's change can leave stale.
/// </summary>
internal sealed class McpRouteCache : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly IDisposable _subscription;

    public McpRouteCache(DeploymentStatusFeed feed, TimeProvider time, TimeSpan lifetime)
    {
        _time = time;
        _lifetime = lifetime;
        _subscription = feed.Subscribe(OnUpdate);
    }

    public bool TryGet(Guid id, out McpRouteRow row)
    {
        if (_entries.TryGetValue(id, out var entry) && entry.ExpiresAt > _time.GetUtcNow())
        {
            row = entry.Row;
            return true;
        }

        row = null!;
        return false;
    }

    public void Set(McpRouteRow row)
    {
        if (_lifetime > TimeSpan.Zero)
        {
            _entries[row.Id] = new Entry(row, _time.GetUtcNow() + _lifetime);
        }
    }

    public void Forget(Guid id) => _entries.TryRemove(id, out _);

    public void Dispose() => _subscription.Dispose();

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

    private sealed record Entry(McpRouteRow Row, DateTimeOffset ExpiresAt);
}

/// <summary>What the endpoint reads of a deployment to authorise and route a request.</summary>
internal sealed record McpRouteRow(Guid Id, string AccessTokenHash, DeploymentStatus Status, Core.Machines.RuntimeKind RuntimeKind, string? MachineId);
