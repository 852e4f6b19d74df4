namespace Catwalk.Core.Credentials;

/// <summary>What key rotation does with one stored token (<see cref="FernetKeyRing.RotateToFirstKey"/>).</summary>
public enum TokenRotationOutcome
{
    /// <summary>The first key signed it already: left as it is.</summary>
    AlreadyUnderFirstKey,

    /// <summary>Another key of the ring read it: <see cref="TokenRotation.Token"/> holds it under the first key.</summary>
    Rotated,

    /// <summary>No key of the ring reads it: left as it is, and reported.</summary>
    Undecryptable,
}

/// <param name="Token">The re-encrypted token when <paramref name="Outcome"/> is <see cref="TokenRotationOutcome.Rotated"/>.</param>
public readonly record struct TokenRotation(TokenRotationOutcome Outcome, string? Token);
