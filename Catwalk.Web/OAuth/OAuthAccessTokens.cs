using System.Collections.Concurrent;
using Catwalk.Core.Deployments;
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
/// statement. Revocations drop the cached answers at once: <see cref="Invalidate"/> is the hook, called for every
/// <see cref="OAuthAccessRevoked"/> on the status feed (and by whoever carries the feed across instances).
/// </summary>
internal sealed class OAuthAccessTokens : IDisposable
{
    private readonly ConcurrentDictionary<string, Standing> _standing = new(StringComparer.Ordinal);
    private readonly OpenIddictValidationService _validation;
    private readonly IDbContextFactory<CatwalkDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly IOptions<McpForwardingOptions> _options;
    private readonly IDisposable _subscription;

    // Bumped by every invalidation: an answer read from the database before it is not cached after it.
    private long _generation;

    public OAuthAccessTokens(OpenIddictValidationService validation, IDbContextFactory<CatwalkDbContext> contexts, TimeProvider time,
        IOptions<McpForwardingOptions> options, DeploymentStatusFeed feed)
    {
        _validation = validation;
        _contexts = contexts;
        _time = time;
        _options = options;
        _subscription = feed.Subscribe(OnUpdate);
    }

    public async Task<bool> OpensAsync(string token, Guid deploymentId, CancellationToken cancellationToken)
    {
        if (token.Length > 8192)
        {
            return false;
        }

        System.Security.Claims.ClaimsPrincipal principal;
        try
        {
            principal = await _validation.ValidateAccessTokenAsync(token, cancellationToken);
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

        var now = _time.GetUtcNow();
        if (_standing.TryGetValue(approval, out var standing) && standing.Until > now)
        {
            return true;
        }

        var generation = Interlocked.Read(ref _generation);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var stands = await db.OAuthAuthorizations
            .Where(a => a.Id == approval && a.DeploymentId == deploymentId && a.Status == Statuses.Valid)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUsedAt, now), cancellationToken) == 1;
        if (stands && _options.Value.RouteCacheLifetime > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation)
        {
            _standing[approval] = new Standing(deploymentId, now + _options.Value.RouteCacheLifetime);
        }
        else
        {
            _standing.TryRemove(approval, out _);
        }

        return stands;
    }

    /// <summary>Forgets what is cached about the deployment's approvals: the next request with one of its tokens reads the database.</summary>
    public void Invalidate(Guid deploymentId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (approval, standing) in _standing)
        {
            if (standing.DeploymentId == deploymentId)
            {
                _standing.TryRemove(approval, out _);
            }
        }
    }

    /// <summary>Forgets everything (for example when revocations from other instances may have been missed).</summary>
    public void InvalidateAll()
    {
        Interlocked.Increment(ref _generation);
        _standing.Clear();
    }

    public void Dispose() => _subscription.Dispose();

    private Task OnUpdate(StatusUpdate update)
    {
        switch (update)
        {
            case OAuthAccessRevoked revoked:
                Invalidate(revoked.DeploymentId);
                break;
            case DeploymentStatusChanged { To: DeploymentStatus.Deleting } deleting:
                Invalidate(deleting.DeploymentId);
                break;
        }

        return Task.CompletedTask;
    }

    private sealed record Standing(Guid DeploymentId, DateTimeOffset Until);
}
