namespace Catwalk.Core.Credentials;

/// <summary>A credential set the vault refused; <see cref="Problems"/> says what to fix, one line per problem.</summary>
public sealed class CredentialValidationException : Exception
{
    public CredentialValidationException()
        : this(["The credentials are invalid."])
    {
    }

    public CredentialValidationException(string message)
        : this([message])
    {
    }

    public CredentialValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public CredentialValidationException(IReadOnlyList<string> problems)
        : base(string.Join(" ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
