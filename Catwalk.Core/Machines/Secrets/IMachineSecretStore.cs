namespace Catwalk.Core.Machines.Secrets;

/// <summary>Where a runtime keeps the secrets its machines require (see <see cref="MachineSecret"/>).</summary>
public interface IMachineSecretStore
{
    /// <summary>Records <paramref name="secret"/> as the machine's current one, replacing any earlier one.</summary>
    Task SaveAsync(string machineId, Guid deploymentId, string secret, CancellationToken cancellationToken);

    /// <summary>The machine's current secret, or null when none is stored (or no key of <c>ENCRYPTION_KEY</c> opens it).</summary>
    Task<string?> FindAsync(string machineId, CancellationToken cancellationToken);

    Task ForgetAsync(string machineId, CancellationToken cancellationToken);
}
