using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Microsoft.Extensions.Hosting;

namespace Catwalk.Core.Telemetry;

/// <summary>
/// <c>catwalk.machines</c>: machines by runtime and state, as the monitor and the lifecycle last reported them on the
/// status feed (the same updates the admin page's live table follows). Read only when a metrics reader collects.
/// </summary>
public sealed class MachineStateGauge : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, (RuntimeKind Runtime, MachineState State)> _machines = new(StringComparer.Ordinal);
    private readonly DeploymentStatusFeed _feed;
    private IDisposable? _subscription;

    public MachineStateGauge(CatwalkMetrics metrics, DeploymentStatusFeed feed)
    {
        _feed = feed;
        metrics.Meter.CreateObservableGauge("catwalk.machines", Observe, "{machine}", "Machines by runtime and state");
    }

    /// <summary>The current count per (runtime, state).</summary>
    public IReadOnlyDictionary<(RuntimeKind Runtime, MachineState State), int> Counts() =>
        _machines.Values.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _feed.Subscribe(update =>
        {
            switch (update)
            {
                case MachineObserved observed:
                    _machines[observed.Machine.MachineId] = (observed.Machine.RuntimeKind, observed.Machine.State);
                    break;
                case MachineRemoved removed:
                    _machines.TryRemove(removed.MachineId, out _);
                    break;
            }

            return Task.CompletedTask;
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();

    private IEnumerable<Measurement<int>> Observe() =>
        Counts().Select(c => new Measurement<int>(c.Value,
            new KeyValuePair<string, object?>(CatwalkTelemetry.Tags.Runtime, c.Key.Runtime.ToString()),
            new KeyValuePair<string, object?>(CatwalkTelemetry.Tags.State, c.Key.State.ToString())));
}
