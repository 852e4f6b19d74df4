using System.Collections.Concurrent;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Per-deployment request figures (requests, errors, calls per tool) and last activity, kept in memory so the
/// forwarding path never writes to the database; <see cref="DeploymentMonitor"/> flushes last activity in batches.
/// Observability only: never an access decision.
/// </summary>
public sealed class DeploymentActivity(TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Figures> _figures = new();

    public void RecordRequest(Guid deploymentId, string? method, string? name)
    {
        var figures = _figures.GetOrAdd(deploymentId, _ => new Figures());
        Interlocked.Increment(ref figures.Requests);
        figures.LastActivityTicks = time.GetUtcNow().UtcTicks;
        figures.Dirty = true;
        if (method == "tools/call" && !string.IsNullOrEmpty(name))
        {
            figures.ToolCalls.AddOrUpdate(name, 1, (_, n) => n + 1);
        }
    }

    public void RecordError(Guid deploymentId)
    {
        var figures = _figures.GetOrAdd(deploymentId, _ => new Figures());
        Interlocked.Increment(ref figures.Errors);
    }

    public DeploymentFigures Get(Guid deploymentId) =>
        _figures.TryGetValue(deploymentId, out var f)
            ? new DeploymentFigures(Interlocked.Read(ref f.Requests), Interlocked.Read(ref f.Errors),
                f.LastActivityTicks == 0 ? null : new DateTimeOffset(f.LastActivityTicks, TimeSpan.Zero),
                f.ToolCalls.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal))
            : DeploymentFigures.None;

    /// <summary>Last activity of deployments that had requests since the previous call, for one batched write.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> TakeDirty()
    {
        var dirty = new Dictionary<Guid, DateTimeOffset>();
        foreach (var (id, f) in _figures)
        {
            if (f.Dirty)
            {
                f.Dirty = false;
                dirty[id] = new DateTimeOffset(f.LastActivityTicks, TimeSpan.Zero);
            }
        }

        return dirty;
    }

    public void Forget(Guid deploymentId) => _figures.TryRemove(deploymentId, out _);

    private sealed class Figures
    {
        public long Requests;
        public long Errors;
        public long LastActivityTicks;
        public volatile bool Dirty;
        public readonly ConcurrentDictionary<string, long> ToolCalls = new(StringComparer.Ordinal);
    }
}

/// <summary>Request figures of one deployment since this host started.</summary>
public sealed record DeploymentFigures(long Requests, long Errors, DateTimeOffset? LastActivityAt, IReadOnlyDictionary<string, long> ToolCalls)
{
    public static readonly DeploymentFigures None = new(0, 0, null, new Dictionary<string, long>());
}
