namespace Catwalk.Core.Accounts;

/// <summary>A user's own OpenRouter API key, kept only as a Fernet token under the credential key ring.</summary>
public sealed class UserOpenRouterKey
{
    public required string UserId { get; set; }

    public required string FernetToken { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
