using System.Collections.Concurrent;
using Catwalk.Core.Cluster;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Runs one lifecycle operation at a time per deployment, across every instance on the database: operations of this
/// instance queue on an in-process gate, then take the deployment's advisory lock (<see cref="DeploymentLocks"/>), so a
/// wake here and a stop on another instance never overlap. Keeps track of background operations so that host shutdown
/// can cancel and await them.
/// </summary>
public sealed class DeploymentOperationGate(DeploymentLocks locks) : IDisposable
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<int, Task> _background = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _nextId;
    private bool _disposed;

    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>True while an operation of this instance holds the deployment.</summary>
    public bool IsBusy(Guid deploymentId) => _locks.TryGetValue(deploymentId, out var gate) && gate.CurrentCount == 0;

    /// <summary>The deployments an operation holds on any instance, as <see cref="AdvisoryLockKeys.For"/> keys (the monitor
    /// leaves them alone).</summary>
    public Task<IReadOnlySet<int>> BusyEverywhereAsync(CancellationToken cancellationToken) => locks.HeldAsync(cancellationToken);

    public async Task<T> RunAsync<T>(Guid deploymentId, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(deploymentId, _ => new SemaphoreSlim(1, 1));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await gate.WaitAsync(linked.Token);
        try
        {
            await using var everywhere = await locks.AcquireAsync(deploymentId, linked.Token);
            return await operation(linked.Token);
        }
        finally
        {
            gate.Release();
        }
    }

    public Task RunAsync(Guid deploymentId, Func<CancellationToken, Task> operation, CancellationToken cancellationToken) =>
        RunAsync(deploymentId, async ct =>
        {
            await operation(ct);
            return true;
        }, cancellationToken);

    /// <summary>Starts the operation, holding the deployment, without waiting for it; it ends at the latest when the host stops.</summary>
    public Task StartInBackground(Guid deploymentId, Func<CancellationToken, Task> operation) =>
        Track(() => RunAsync(deploymentId, operation, CancellationToken.None));

    /// <summary>Runs work in the background (not holding any deployment) so that shutdown can cancel and await it.</summary>
    public Task Track(Func<Task> work)
    {
        var id = Interlocked.Increment(ref _nextId);
        var task = Task.Run(work);
        _background[id] = task;
        _ = task.ContinueWith(_ => _background.TryRemove(id, out Task? _), TaskScheduler.Default);
        return task;
    }

    /// <summary>Cancels background operations and waits (bounded) for them to unwind.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        if (Volatile.Read(ref _disposed))
        {
            return; // The container went first (test hosts dispose in that order); nothing is left to stop.
        }

        await _shutdown.CancelAsync();
        var all = Task.WhenAll(_background.Values);
        await Task.WhenAny(all, Task.Delay(wait));
    }

    public void Dispose()
    {
        Volatile.Write(ref _disposed, true);
        _shutdown.Cancel();
        _shutdown.Dispose();
    }
}
