using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Web.Mcp;

/// <summary>
/// Checks the presented token: the deployment's access token, or else an OAuth access token issued for this deployment.
/// An unknown id costs the same work as a wrong token. A cached deployment and its own token are checked without
/// allocating, awaiting or hashing again (<see cref="CachedRoute"/>): this runs on every forwarded MCP call.
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
    public ValueTask<(Outcome Outcome, McpRouteRow? Route)> AuthorizeAsync(string rawId, string? token, CancellationToken cancellationToken, bool fresh = false)
    {
        if (!Guid.TryParse(rawId, out var id))
        {
            return ValueTask.FromResult(Check(null, null, token));
        }

        return !fresh && cache.TryGet(id, out var cached)
            ? CheckAsync(cached.Row, cached, token, cancellationToken)
            : LoadAndCheckAsync(id, token, cancellationToken);
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

    private async ValueTask<(Outcome Outcome, McpRouteRow? Route)> LoadAndCheckAsync(Guid id, string? token, CancellationToken cancellationToken) =>
        await CheckAsync(await LoadAsync(id, cancellationToken), null, token, cancellationToken);

    private ValueTask<(Outcome Outcome, McpRouteRow? Route)> CheckAsync(McpRouteRow? row, CachedRoute? cached, string? token, CancellationToken cancellationToken)
    {
        var checkedToken = Check(row, cached, token);
        // The deployment token first: its check is a hash compare, and it is what most clients present today.
        return checkedToken.Outcome == Outcome.Unauthorized && token is not null
            ? OAuthCheckAsync(row!, token, cancellationToken)
            : ValueTask.FromResult(checkedToken);
    }

    private static (Outcome Outcome, McpRouteRow? Route) Check(McpRouteRow? row, CachedRoute? cached, string? token)
    {
        // A token seen to match this cached row before needs no hash; any other is hashed and compared, against a hash no
        // token has when the deployment does not exist.
        var matches = token is not null && cached is not null && cached.WasVerified(token);
        if (!matches)
        {
            matches = DeploymentAccessTokens.Matches(token, row?.AccessTokenHash ?? DeploymentAccessTokens.UnmatchableHash);
            if (matches)
            {
                cached?.Verified(token!);
            }
        }

        if (row is null || row.Status == DeploymentStatus.Deleting)
        {
            return (Outcome.NotFound, null);
        }

        return matches ? (Outcome.Allowed, row) : (Outcome.Unauthorized, null);
    }

    private async ValueTask<(Outcome Outcome, McpRouteRow? Route)> OAuthCheckAsync(McpRouteRow row, string token, CancellationToken cancellationToken) =>
        await oauth.OpensAsync(token, row.Id, cancellationToken) ? (Outcome.Allowed, row) : (Outcome.Unauthorized, null);

    private async Task<McpRouteRow?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
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
