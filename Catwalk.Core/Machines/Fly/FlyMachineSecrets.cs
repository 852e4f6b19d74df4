using System.Collections.Concurrent;
using Catwalk.Core.Machines.Secrets;

namespace Catwalk.Core.Machines.Fly;

/// <summary>
/// The Fly machines' secrets as the forwarder needs them on every request: read from the database
/// (<see cref="IMachineSecretStore"/>) and kept for <see cref="FreshFor"/>, so a secret another instance rotated is
/// picked up within that time while a busy machine costs one database read every few seconds, not one per request.
/// </summary>
public sealed class FlyMachineSecrets(IMachineSecretStore store, TimeProvider time)
{
    /// <summary>How long a secret read from the database is used before it is read again.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (string? Secret, DateTimeOffset ReadAt)> _known = new(StringComparer.Ordinal);

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
