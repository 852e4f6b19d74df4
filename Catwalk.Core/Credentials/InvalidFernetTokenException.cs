namespace Catwalk.Core.Credentials;

/// <summary>
/// A token that no key at hand accepts: malformed, tampered with, expired, or made under another key
/// (Python's <c>cryptography.fernet.InvalidToken</c>). Deliberately says no more than that.
/// </summary>
public sealed class InvalidFernetTokenException : Exception
{
    private const string DefaultMessage = "The Fernet token is invalid: malformed, altered, expired, or encrypted under a key that is not in the key ring.";

    public InvalidFernetTokenException()
        : base(DefaultMessage)
    {
    }

    public InvalidFernetTokenException(string message)
        : base(message)
    {
    }

    public InvalidFernetTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
