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
    public const string UserDeleted = "user-deleted";
    public const string TokenCreated = "token-created";
    public const string TokenRevoked = "token-revoked";
    public const string OpenRouterKeySet = "openrouter-key-set";
    public const string OpenRouterKeyRemoved = "openrouter-key-removed";
    public const string DeploymentCreated = "deployment-created";
    public const string DeploymentStopped = "deployment-stopped";
    public const string DeploymentStarted = "deployment-started";
    public const string DeploymentRestarted = "deployment-restarted";
    public const string DeploymentDeleted = "deployment-deleted";
    public const string DeploymentCredentialsReplaced = "deployment-credentials-replaced";
    public const string DeploymentTokenRotated = "deployment-token-rotated";
    public const string MachineStopped = "machine-stopped";
    public const string MachineStarted = "machine-started";
    public const string MachineDestroyed = "machine-destroyed";
}
