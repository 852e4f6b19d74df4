using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Deployments;

/// <summary>Whether an owner already uses a deployment name (the wizard asks as the user types; the database's unique
/// index on owner and name is the final word).</summary>
public interface IDeploymentNames
{
    /// <summary>The id of the owner's deployment of that name, or null when the name is free.</summary>
    Task<Guid?> FindAsync(string ownerId, string name, CancellationToken cancellationToken);
}

public sealed class DeploymentNames(IDbContextFactory<CatwalkDbContext> contexts) : IDeploymentNames
{
    public const string UniqueIndex = "IX_deployments_OwnerId_Name";

    public static string TakenMessage(string name) => $"You already have a deployment named '{name}': choose another name.";

    public async Task<Guid?> FindAsync(string ownerId, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = await db.Deployments.AsNoTracking().Where(d => d.OwnerId == ownerId && d.Name == name)
            .OrderBy(d => d.Id).Select(d => d.Id).Take(1).ToListAsync(cancellationToken);
        return ids.Count == 0 ? null : ids[0];
    }
}
