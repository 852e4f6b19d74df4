namespace Catwalk.Core.Accounts;

/// <summary>
/// Who may deploy: whether anyone may sign up (<c>CATWALK_REGISTRATION</c>) and how many deployments a user may own
/// (<c>CATWALK_MAX_DEPLOYMENTS_PER_USER</c>; admins are exempt). Bound by <see cref="AccessPolicyOptionsSetup"/>.
/// </summary>
public sealed class AccessPolicyOptions
{
    public const string RegistrationVariable = "CATWALK_REGISTRATION";
    public const string MaxDeploymentsPerUserVariable = "CATWALK_MAX_DEPLOYMENTS_PER_USER";

    /// <summary>Open: anyone may register (password or GitHub). Closed: accounts come only from <c>create-user</c> and admins.</summary>
    public bool RegistrationOpen { get; set; } = true;

    public int MaxDeploymentsPerUser { get; set; } = 10;
}
