using Catwalk.Core.Accounts;
using Catwalk.Core.Credentials;
using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Deployments;

/// <summary>
/// Read side for pages and the API, with the ownership rule applied: a deployment the viewer may not see is
/// reported exactly like one that does not exist (null / empty), so callers answer 404, never 403.
/// </summary>
public sealed class DeploymentQueries(
    IDbContextFactory<CatwalkDbContext> contexts,
    ICredentialVault vault,
    MachineRuntimes runtimes,
    DeploymentActivity activity)
{
    public const int MaxLogLines = 1000;

    /// <summary>The viewer's deployments (all of them for an admin), newest first; <paramref name="search"/>
    /// matches name, package or repo URL, case-insensitively.</summary>
    public async Task<IReadOnlyList<DeploymentView>> ListAsync(Viewer viewer, string? search, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = Visible(db, viewer);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = $"%{EscapeLike(search.Trim())}%";
            query = query.Where(d => EF.Functions.ILike(d.Name, pattern, "\\")
                || EF.Functions.ILike(d.Package, pattern, "\\")
                || (d.RepoUrl != null && EF.Functions.ILike(d.RepoUrl, pattern, "\\")));
        }

        return await Project(db, query.OrderByDescending(d => d.CreatedAt)).ToListAsync(cancellationToken);
    }

    public async Task<DeploymentView?> FindAsync(Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Project(db, Visible(db, viewer).Where(d => d.Id == id)).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The status timeline, oldest first; null when the viewer may not see the deployment.</summary>
    public async Task<IReadOnlyList<DeploymentEvent>?> EventsAsync(Viewer viewer, Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await Visible(db, viewer).AnyAsync(d => d.Id == id, cancellationToken))
        {
            return null;
        }

        return await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id)
            .OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The credential names (never values); null when the viewer may not see the deployment.</summary>
    public async Task<IReadOnlyList<string>?> EnvNamesAsync(Viewer viewer, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(viewer, id, cancellationToken) is null ? null : await vault.ListNamesAsync(id, cancellationToken);

    /// <summary>The last <paramref name="lines"/> lines of the server's stderr (empty without a machine);
    /// null when the viewer may not see the deployment.</summary>
    public async Task<IReadOnlyList<string>?> LogTailAsync(Viewer viewer, Guid id, int lines, CancellationToken cancellationToken)
    {
        var deployment = await FindAsync(viewer, id, cancellationToken);
        if (deployment is null)
        {
            return null;
        }

        if (deployment.MachineId is null)
        {
            return [];
        }

        return await runtimes.For(deployment.RuntimeKind)
            .GetLogTailAsync(deployment.MachineId, Math.Clamp(lines, 1, MaxLogLines), cancellationToken);
    }

    /// <summary>Request figures since this host started; null when the viewer may not see the deployment.</summary>
    public async Task<DeploymentFigures?> FiguresAsync(Viewer viewer, Guid id, CancellationToken cancellationToken) =>
        await FindAsync(viewer, id, cancellationToken) is null ? null : activity.Get(id);

    private static IQueryable<Deployment> Visible(CatwalkDbContext db, Viewer viewer) =>
        viewer.IsAdmin ? db.Deployments.AsNoTracking() : db.Deployments.AsNoTracking().Where(d => d.OwnerId == viewer.UserId);

    private static IQueryable<DeploymentView> Project(CatwalkDbContext db, IQueryable<Deployment> query) =>
        from d in query
        join u in db.Users on d.OwnerId equals u.Id into owners
        from owner in owners.DefaultIfEmpty()
        select new DeploymentView(d.Id, d.OwnerId, owner == null ? null : owner.Email, d.Name, d.RepoUrl, d.Package, d.Runtime,
            d.PackageVersion, d.Status, d.RuntimeKind, d.MachineId, d.ErrorMessage, d.CreatedAt, d.UpdatedAt, d.LastActivityAt)
        {
            Arguments = d.Arguments,
        };

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
