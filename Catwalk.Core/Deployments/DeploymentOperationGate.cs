using System.Collections.Concurrent;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Runs one lifecycle operation at a time per deployment, and keeps track of background operations so that
/// host shutdown can cancel and await them.
/// </summary>
public sealed class DeploymentOperationGate : IDisposable
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<int, Task> _background = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _nextId;
    private bool _disposed;

    public CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>True while an operation holds the deployment (the monitor leaves such deployments alone).</summary>
    public bool IsBusy(Guid deploymentId) => _locks.TryGetValue(deploymentId, out var gate) && gate.CurrentCount == 0;

    public async Task<T> RunAsync<T>(Guid deploymentId, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(deploymentId, _ => new SemaphoreSlim(1, 1));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        await gate.WaitAsync(linked.Token);
        try
        {
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
