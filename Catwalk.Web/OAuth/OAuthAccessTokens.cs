using System.Collections.Concurrent;
using Catwalk.Core.Persistence;
using Catwalk.Web.Mcp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>
/// The forwarder's OAuth check. The token is validated locally (data protection format: decrypt, signature, expiry, no
/// database); it must name this deployment; and its approval must still stand. That last check reads the database at
/// most once per approval per cache lifetime (the route cache's, a few seconds) and records "last used" in the same
/// statement; <see cref="Forget"/> (Disconnect, on this instance) makes the very next request read it again.
/// </summary>
internal sealed class OAuthAccessTokens(
    OpenIddictValidationService validation,
    IDbContextFactory<CatwalkDbContext> contexts,
    TimeProvider time,
    IOptions<McpForwardingOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _standingUntil = new(StringComparer.Ordinal);

    public async Task<bool> OpensAsync(string token, Guid deploymentId, CancellationToken cancellationToken)
    {
        if (token.Length > 8192)
        {
            return false;
        }

        System.Security.Claims.ClaimsPrincipal principal;
        try
        {
            principal = await validation.ValidateAccessTokenAsync(token, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return false; // Not one of ours, expired or tampered with: the caller answers 401.
        }

        if (!string.Equals(principal.GetClaim(OAuthPaths.DeploymentClaim), deploymentId.ToString(), StringComparison.Ordinal)
            || principal.GetAuthorizationId() is not { } approval)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (_standingUntil.TryGetValue(approval, out var until) && until > now)
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var stands = await db.OAuthAuthorizations
            .Where(a => a.Id == approval && a.DeploymentId == deploymentId && a.Status == Statuses.Valid)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUsedAt, now), cancellationToken) == 1;
        if (stands && options.Value.RouteCacheLifetime > TimeSpan.Zero)
        {
            _standingUntil[approval] = now + options.Value.RouteCacheLifetime;
        }
        else
        {
            _standingUntil.TryRemove(approval, out _);
        }

        return stands;
    }

    public void Forget(string approvalId) => _standingUntil.TryRemove(approvalId, out _);
}
