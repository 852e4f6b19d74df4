using System.Diagnostics.CodeAnalysis;

namespace Catwalk.Core.Credentials;

/// <summary>
/// Keeps a small secret (such as a user's own API key) safe at rest with the <c>ENCRYPTION_KEY</c> key ring.
/// The protected form is a Fernet token; store it, never the plaintext.
/// </summary>
public interface ISecretProtector
{
    string Protect(string plaintext);

    /// <exception cref="InvalidFernetTokenException">No key in the ring accepts the value.</exception>
    string Unprotect(string protectedValue);

    bool TryUnprotect(string protectedValue, [NotNullWhen(true)] out string? plaintext);
}
