using Catwalk.Core.Deployments;
using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Web.Mcp;

/// <summary>What the endpoint needs to know of a deployment to authorise and route a request.</summary>
internal sealed record McpRoute(Guid Id, DeploymentStatus Status, RuntimeKind RuntimeKind, string? MachineId);

/// <summary>
/// Checks the presented token: the deployment's access token, or else an OAuth access token issued for this deployment.
/// An unknown id costs the same work as a wrong token.
/// </summary>
internal sealed class McpDeploymentAccess(IDbContextFactory<CatwalkDbContext> contexts, McpRouteCache cache, OAuth.OAuthAccessTokens oauth)
{
    public enum Outcome
    {
        Allowed,
        Unauthorized,
        NotFound,
    }

    /// <param name="fresh">Read the database even when the route is cached (after a wake moved the deployment).</param>
    public async Task<(Outcome Outcome, McpRoute? Route)> AuthorizeAsync(string rawId, string? token, CancellationToken cancellationToken, bool fresh = false)
    {
        var row = Guid.TryParse(rawId, out var id) ? await LoadAsync(id, fresh, cancellationToken) : null;
        // Always hash and compare, against a hash no token has when the deployment does not exist.
        var matches = DeploymentAccessTokens.Matches(token, row?.AccessTokenHash ?? DeploymentAccessTokens.UnmatchableHash);
        if (row is null || row.Status == DeploymentStatus.Deleting)
        {
            return (Outcome.NotFound, null);
        }

        // The deployment token first: its check is a hash compare, and it is what most clients present today.
        matches = matches || (token is not null && await oauth.OpensAsync(token, row.Id, cancellationToken));
        return matches
            ? (Outcome.Allowed, new McpRoute(row.Id, row.Status, row.RuntimeKind, row.MachineId))
            : (Outcome.Unauthorized, null);
    }

    public static string? PresentedToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var query = request.Query["token"].ToString();
        return query.Length > 0 ? query : null;
    }

    private async Task<McpRouteRow?> LoadAsync(Guid id, bool fresh, CancellationToken cancellationToken)
    {
        if (!fresh && cache.TryGet(id, out var cached))
        {
            return cached;
        }

        var version = cache.Version;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Deployments.AsNoTracking().Where(d => d.Id == id)
            .Select(d => new McpRouteRow(d.Id, d.AccessTokenHash, d.Status, d.RuntimeKind, d.MachineId))
            .FirstOrDefaultAsync(cancellationToken);
        if (row is not null)
        {
            cache.Set(row, version);
        }

        return row;
    }
}
