namespace Catwalk.Core.Accounts;

/// <summary>The audit log's action names, so pages, the API and tests agree on spelling.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SignOut = "sign-out";
    public const string Register = "register";
    public const string PasswordChanged = "password-changed";
    public const string UserCreated = "user-created";
    public const string AdminGranted = "admin-granted";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string OpenRouterKeySet = "openrouter-key-set";
    public const string OpenRouterKeyRemoved = "openrouter-key-removed";
}
