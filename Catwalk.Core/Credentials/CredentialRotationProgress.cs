namespace Catwalk.Core.Credentials;

/// <summary>Where a key rotation stands after a committed batch.</summary>
/// <param name="Batch">Batches committed so far.</param>
/// <param name="Examined">Rows looked at so far.</param>
/// <param name="Total">Rows in the table when the rotation began (rows added since are examined too).</param>
/// <param name="Rotated">Rows re-encrypted under the first key so far.</param>
/// <param name="AlreadyUnderFirstKey">Rows passed over because the first key already signed them.</param>
/// <param name="Undecryptable">Rows no key in the ring decrypts, left untouched.</param>
public sealed record CredentialRotationProgress(int Batch, int Examined, int Total, int Rotated, int AlreadyUnderFirstKey, int Undecryptable);

/// <summary>What a finished key rotation did; <see cref="UndecryptableIds"/> are rows it could not read.</summary>
public sealed record CredentialRotationSummary(
    int Batches, int Examined, int Rotated, int AlreadyUnderFirstKey, IReadOnlyList<long> UndecryptableIds);
