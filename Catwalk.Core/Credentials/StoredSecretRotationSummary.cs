namespace Catwalk.Core.Credentials;

/// <summary>What re-encrypting one store of secrets did.</summary>
/// <param name="Store">What the store holds, for people ("machine secrets").</param>
/// <param name="Undecryptable">Rows no key of the ring decrypts: left as they are.</param>
public sealed record StoredSecretRotationSummary(string Store, int Examined, int Rotated, int AlreadyUnderFirstKey, int Undecryptable);
