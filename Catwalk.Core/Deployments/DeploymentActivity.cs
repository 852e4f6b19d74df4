using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Catwalk.Core.Telemetry;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Per-deployment request figures (requests, errors, calls per tool) and last activity, kept in memory so the
/// forwarding path never writes to the database; <see cref="DeploymentMonitor"/> flushes last activity in batches.
/// The figures are read from this host's own <see cref="CatwalkMetrics"/> instruments, so the deployment page shows
/// what OpenTelemetry exports. Observability only: never an access decision.
/// </summary>
public sealed class DeploymentActivity : IDisposable
{
    private readonly ConcurrentDictionary<Guid, Figures> _figures = new();
    private readonly TimeProvider _time;
    private readonly CatwalkMetrics _metrics;
    private readonly MeterListener _listener = new();

    public DeploymentActivity(TimeProvider time, CatwalkMetrics metrics)
    {
        _time = time;
        _metrics = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == metrics.Requests || instrument == metrics.Errors)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Counts a forwarded request (through the requests counter, which this object listens to).</summary>
    public void RecordRequest(Guid deploymentId, string? method, string? name) => _metrics.RecordRequest(deploymentId, method, ToolOf(method, name));

    public void RecordError(Guid deploymentId, string? method = null, string? name = null) => _metrics.RecordError(deploymentId, method, ToolOf(method, name));

    /// <summary>Only a tools/call names a tool; a name longer than any real tool's is not a figure (nor a metric series).</summary>
    public static string? ToolOf(string? method, string? name) =>
        method == "tools/call" && !string.IsNullOrEmpty(name) && name.Length <= 128 ? name : null;

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        Guid deploymentId = default;
        string? tool = null;
        foreach (var tag in tags)
        {
            if (tag.Key == CatwalkTelemetry.Tags.DeploymentId && tag.Value is string id && !Guid.TryParse(id, out deploymentId))
            {
                return;
            }
            else if (tag.Key == CatwalkTelemetry.Tags.Tool)
            {
                tool = tag.Value as string;
            }
        }

        if (deploymentId == Guid.Empty)
        {
            return;
        }

        var figures = _figures.GetOrAdd(deploymentId, _ => new Figures());
        if (instrument == _metrics.Errors)
        {
            Interlocked.Add(ref figures.Errors, value);
            return;
        }

        Interlocked.Add(ref figures.Requests, value);
        figures.LastActivityTicks = _time.GetUtcNow().UtcTicks;
        figures.Dirty = true;
        if (tool is not null)
        {
            figures.ToolCalls.AddOrUpdate(tool, value, (_, n) => n + value);
        }
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

    public void Forget(Guid deploymentId)
    {
        _figures.TryRemove(deploymentId, out _);
        _metrics.Forget(deploymentId);
    }

    public void Dispose() => _listener.Dispose();

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
