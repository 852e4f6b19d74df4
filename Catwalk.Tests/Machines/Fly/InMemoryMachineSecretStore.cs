using System.Collections.Concurrent;
using Catwalk.Core.Machines.Secrets;

namespace Catwalk.Tests.Machines.Fly;

/// <summary>The runtime-only tests' stand-in for the database table (the app-level Fly tests use the real one).</summary>
internal sealed class InMemoryMachineSecretStore : IMachineSecretStore
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public Task SaveAsync(string machineId, Guid deploymentId, string secret, CancellationToken cancellationToken)
    {
        _secrets[machineId] = secret;
        return Task.CompletedTask;
    }

    public Task<string?> FindAsync(string machineId, CancellationToken cancellationToken) =>
        Task.FromResult(_secrets.TryGetValue(machineId, out var secret) ? secret : null);

    public Task ForgetAsync(string machineId, CancellationToken cancellationToken)
    {
        _secrets.TryRemove(machineId, out _);
        return Task.CompletedTask;
    }
}
