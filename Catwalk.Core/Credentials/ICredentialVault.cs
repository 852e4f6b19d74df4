namespace Catwalk.Core.Credentials;

/// <summary>
/// A deployment's credentials (environment variables), kept only as Fernet tokens in the <c>credentials</c> table.
/// Names can be listed anywhere; values go in and never come back out, except through
/// <see cref="ReadForMachineAsync"/>, which exists solely to build a machine's environment.
/// </summary>
public interface ICredentialVault
{
    /// <summary>
    /// Makes <paramref name="credentials"/> the deployment's whole set: given names are stored (encrypted under the
    /// first key), names no longer present are deleted. Nothing is written if any name or value is invalid.
    /// </summary>
    /// <exception cref="CredentialValidationException">A name is not a valid environment variable name, or a value cannot be one.</exception>
    /// <exception cref="InvalidOperationException">The deployment does not exist.</exception>
    Task ReplaceAllAsync(Guid deploymentId, IReadOnlyDictionary<string, string> credentials, CancellationToken cancellationToken);

    /// <summary>The deployment's credential names, in ordinal order. Never values.</summary>
    Task<IReadOnlyList<string>> ListNamesAsync(Guid deploymentId, CancellationToken cancellationToken);

    /// <summary>
    /// The plaintext values, for one purpose only: the environment of the deployment's machine (a Fly Machine's
    /// config or the local runtime's child process). The ONLY way plaintext leaves the vault; never hand the
    /// result to a page, an API response, a log or the database.
    /// </summary>
    /// <exception cref="InvalidOperationException">A stored value decrypts under no key of the ring.</exception>
    Task<IReadOnlyDictionary<string, string>> ReadForMachineAsync(Guid deploymentId, CancellationToken cancellationToken);
}
