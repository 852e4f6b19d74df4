using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Core.Accounts;

/// <summary>A user as Admin › Users lists them.</summary>
public sealed record UserRow(string Id, string Email, bool IsAdmin, int Deployments, int ConnectedClients);

/// <summary>Every account with what deleting it would remove (admins only: the caller checks).</summary>
public sealed class UserDirectory(IDbContextFactory<CatwalkDbContext> contexts)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var adminIds = AdminIds(db);
        return await db.Users.AsNoTracking()
            .OrderBy(u => u.Email)
            .Select(u => new UserRow(
                u.Id,
                u.Email ?? u.UserName ?? u.Id,
                adminIds.Contains(u.Id),
                db.Deployments.Count(d => d.OwnerId == u.Id),
                db.OAuthAuthorizations.Count(a => a.Subject == u.Id && a.Status == Statuses.Valid)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The ids of the users holding the Admin role, as a query.</summary>
    internal static IQueryable<string> AdminIds(CatwalkDbContext db) =>
        from role in db.Roles
        where role.Name == Viewer.AdminRole
        join member in db.UserRoles on role.Id equals member.RoleId
        select member.UserId;
}
