namespace Catwalk.Core.Accounts;

/// <summary>Who is looking: the signed-in user's Identity id and whether they hold the Admin role.
/// Ownership rule: users see and act only on their own deployments; admins see all.</summary>
public sealed record Viewer(string UserId, bool IsAdmin)
{
    public const string AdminRole = "Admin";

    public bool CanSee(string ownerId) => IsAdmin || string.Equals(ownerId, UserId, StringComparison.Ordinal);
}
