namespace Catwalk.Core.Credentials;

// TEMPORARY STUB (not committed): replaced by the credentials branch.
public interface ICredentialVault
{
    Task SaveAsync(Guid deploymentId, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> GetNamesAsync(Guid deploymentId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> ReadForMachineAsync(Guid deploymentId, CancellationToken cancellationToken);
}
