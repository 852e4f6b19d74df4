using Catwalk.Core.Accounts;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Web.Security;

/// <summary>Whether a user holds the Admin role, read from Identity's tables on every request so a change counts at once.</summary>
internal sealed class AdminRoleLookup(IDbContextFactory<CatwalkDbContext> contexts)
{
    private static readonly string NormalizedAdminRole = Viewer.AdminRole.ToUpperInvariant();

    public async Task<bool> IsAdminAsync(string userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                where userRole.UserId == userId && role.NormalizedName == NormalizedAdminRole
                select userRole)
            .AnyAsync(cancellationToken);
    }
}
