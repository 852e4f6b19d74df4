using Catwalk.Core.Accounts;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Deployments;

/// <summary>
/// <c>CATWALK_MAX_DEPLOYMENTS_PER_USER</c>: a user who owns that many deployments cannot create another (admins can).
/// Checked on every creation, the API's and the wizard's alike.
/// </summary>
public sealed class DeploymentQuota(IDbContextFactory<CatwalkDbContext> contexts, IOptions<AccessPolicyOptions> options)
{
    public const string ErrorKey = "deployments";

    public int MaxPerUser => options.Value.MaxDeploymentsPerUser;

    /// <summary>Throws a <see cref="DeploymentValidationException"/> that says what to do when the owner is at the limit.</summary>
    public async Task ThrowIfReachedAsync(string ownerId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var owned = await db.Deployments.CountAsync(d => d.OwnerId == ownerId, cancellationToken);
        if (owned < MaxPerUser)
        {
            return;
        }

        var isAdmin = await db.UserRoles.AnyAsync(
            userRole => userRole.UserId == ownerId && db.Roles.Any(role => role.Id == userRole.RoleId && role.Name == Viewer.AdminRole), cancellationToken);
        if (!isAdmin)
        {
            throw new DeploymentValidationException(new Dictionary<string, string[]>
            {
                [ErrorKey] = [$"You already have {owned} deployments, the most this Catwalk allows per user ({AccessPolicyOptions.MaxDeploymentsPerUserVariable}={MaxPerUser}). Delete one you no longer need, or ask an admin to raise the limit."],
            });
        }
    }
}
