using System.Collections.Concurrent;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines.Secrets;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The Fly machines' secrets as the forwarder needs them on every request: read from the database
/// (<see cref="IMachineSecretStore"/>) and kept for <see cref="FreshFor"/> at most, so a busy machine costs one database
/// read every few seconds, not one per request. A machine observed or removed on the status feed (every instance hears a
/// redeploy on another through it) is read again on its next request, so a rotated secret is not used stale.
/// </summary>
public sealed class FlyMachineSecrets : IDisposable
{
    /// <summary>How long a secret read from the database is used before it is read again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (string? Secret, DateTimeOffset ReadAt)> _known = new(StringComparer.Ordinal);
    private readonly IMachineSecretStore store;
    private readonly TimeProvider time;
    private readonly IDisposable? _subscription;

    public FlyMachineSecrets(IMachineSecretStore store, TimeProvider time, DeploymentStatusFeed? feed = null)
    {
        this.store = store;
        this.time = time;
        _subscription = feed?.Subscribe(update =>
        {
            switch (update)
            {
                case MachineObserved { Machine.RuntimeKind: RuntimeKind.Fly } observed:
                    _known.TryRemove(observed.Machine.MachineId, out _);
                    break;
                case MachineRemoved removed:
                    _known.TryRemove(removed.MachineId, out _);
                    break;
            }

            return Task.CompletedTask;
        });
    }

    public void Dispose() => _subscription?.Dispose();

    public async ValueTask<string?> GetAsync(string machineId, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(machineId, out var known) && time.GetUtcNow() - known.ReadAt < FreshFor)
        {
            return known.Secret;
        }

        var secret = await store.FindAsync(machineId, cancellationToken);
        _known[machineId] = (secret, time.GetUtcNow());
        return secret;
    }

    /// <summary>Stores the secret the machine was just given, before anyone sends it a request with the old one.</summary>
    public async Task IssueAsync(string machineId, Guid deploymentId, string secret, CancellationToken cancellationToken)
    {
        await store.SaveAsync(machineId, deploymentId, secret, cancellationToken);
        _known[machineId] = (secret, time.GetUtcNow());
    }

    public async Task ForgetAsync(string machineId, CancellationToken cancellationToken)
    {
        _known.TryRemove(machineId, out _);
        await store.ForgetAsync(machineId, cancellationToken);
    }
}
