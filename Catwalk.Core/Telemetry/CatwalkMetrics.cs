using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Catwalk.Core.Telemetry;

/// <summary>
/// Catwalk's instruments, one set per host (from its <see cref="IMeterFactory"/>): forwarded MCP requests, their errors
/// and latency per deployment and per tool, deploy durations, and machines by state. The deployment page's figures
/// (<see cref="Deployments.DeploymentActivity"/>) listen to these same instruments. Recording is allocation-free on
/// the forwarding path: tags are a stack TagList and deployment ids are cached strings.
/// </summary>
public sealed class CatwalkMetrics
{
    private readonly ConcurrentDictionary<Guid, string> _ids = new();

    public CatwalkMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(CatwalkTelemetry.Name);
        Requests = Meter.CreateCounter<long>("catwalk.mcp.requests", "{request}", "MCP requests forwarded to a deployment");
        Errors = Meter.CreateCounter<long>("catwalk.mcp.errors", "{request}", "MCP requests that failed (5xx, unreachable or unavailable machine)");
        Duration = Meter.CreateHistogram<double>("catwalk.mcp.request.duration", "s", "Time to forward an MCP request and its response headers",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        DeployDuration = Meter.CreateHistogram<double>("catwalk.deploy.duration", "s", "Time from provisioning a machine to Running (or Failed)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600] });
    }

    public Meter Meter { get; }

    public Counter<long> Requests { get; }

    public Counter<long> Errors { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> DeployDuration { get; }

    /// <summary>The cached text of a deployment id, the tag every per-deployment figure carries.</summary>
    public string IdText(Guid deploymentId) => _ids.GetOrAdd(deploymentId, static id => id.ToString());

    public void RecordRequest(Guid deploymentId, string? method, string? tool)
    {
        var tags = Tags(deploymentId, method, tool);
        Requests.Add(1, tags);
    }

    public void RecordError(Guid deploymentId, string? method, string? tool)
    {
        var tags = Tags(deploymentId, method, tool);
        Errors.Add(1, tags);
    }

    public void RecordDuration(Guid deploymentId, string? method, string? tool, int statusCode, long startTimestamp)
    {
        var tags = Tags(deploymentId, method, tool);
        tags.Add(CatwalkTelemetry.Tags.StatusCode, statusCode);
        Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    public void RecordDeploy(string runtime, string outcome, TimeSpan elapsed) =>
        DeployDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(CatwalkTelemetry.Tags.Runtime, runtime),
            new KeyValuePair<string, object?>(CatwalkTelemetry.Tags.Outcome, outcome));

    /// <summary>Forgets a deleted deployment's cached id.</summary>
    public void Forget(Guid deploymentId) => _ids.TryRemove(deploymentId, out _);

    private TagList Tags(Guid deploymentId, string? method, string? tool)
    {
        var tags = new TagList { { CatwalkTelemetry.Tags.DeploymentId, IdText(deploymentId) } };
        if (method is not null)
        {
            tags.Add(CatwalkTelemetry.Tags.McpMethod, method);
        }

        if (tool is not null)
        {
            tags.Add(CatwalkTelemetry.Tags.Tool, tool);
        }

        return tags;
    }
}
