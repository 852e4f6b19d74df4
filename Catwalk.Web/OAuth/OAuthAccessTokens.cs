using System.Collections.Concurrent;
using Catwalk.Core.Cluster;
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
/// database; remembered by the token's hash until it expires); it must name this deployment; and its approval must still stand. That last check reads the database at
/// most once per approval per cache lifetime (the route cache's) and records "last used" in the same statement. Every
/// revocation (Disconnect, the client's own revocation, its user deleted) arrives on the status feed as
/// <see cref="OAuthApprovalRevoked"/> and makes the very next request read it again. <see cref="Forget"/> and
/// <see cref="ForgetAll"/> are the in-process invalidation hooks; like the route cache, a standing approval is only
/// reused while this instance hears the other instances (<see cref="ClusterFeedState.IsListening"/>), and all are
/// forgotten when that feed was interrupted.
/// </summary>
internal sealed class OAuthAccessTokens : IDisposable
{
    private const int MaxValidatedTokens = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _standingUntil = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ValidatedToken> _validated = new(StringComparer.Ordinal);
    private readonly OpenIddictValidationService _validation;
    private readonly IDbContextFactory<CatwalkDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly IOptions<McpForwardingOptions> _options;
    private readonly ClusterFeedState _feedState;
    private readonly IDisposable _subscription;
    private long _revocations;

    public OAuthAccessTokens(
        OpenIddictValidationService validation,
        IDbContextFactory<CatwalkDbContext> contexts,
        TimeProvider time,
        IOptions<McpForwardingOptions> options,
        ClusterFeedState feedState,
        DeploymentStatusFeed feed)
    {
        _feedState = feedState;
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

        var now = _time.GetUtcNow();
        if (await ValidatedAsync(token, now, cancellationToken) is not { } validated
            || validated.DeploymentId != deploymentId)
        {
            return false;
        }

        var approval = validated.ApprovalId;
        if (_feedState.IsListening && _standingUntil.TryGetValue(approval, out var until) && until > now)
        {
            return true;
        }

        // A revocation heard while the database answers must win over that answer.
        var revocationsBefore = Interlocked.Read(ref _revocations);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var stands = await db.OAuthAuthorizations
            .Where(a => a.Id == approval && a.DeploymentId == deploymentId && a.Status == Statuses.Valid)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LastUsedAt, now), cancellationToken) == 1;
        if (stands && _options.Value.RouteCacheLifetime > TimeSpan.Zero && _feedState.IsListening)
        {
            _standingUntil[approval] = now + _options.Value.RouteCacheLifetime;
            if (Interlocked.Read(ref _revocations) != revocationsBefore)
            {
                _standingUntil.TryRemove(approval, out _);
            }
        }
        else
        {
            _standingUntil.TryRemove(approval, out _);
        }

        return stands;
    }

    /// <summary>
    /// What a token says, from OpenIddict's validation (decrypt, signature, expiry) the first time and from memory after,
    /// until it expires: a repeated call costs a SHA-256 instead of the validation pipeline (about half a millisecond).
    /// Keyed by the token's hash, so no token is kept; whether its approval still stands is checked apart, every time.
    /// </summary>
    private async Task<ValidatedToken?> ValidatedAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        if (_validated.TryGetValue(key, out var known))
        {
            if (known.ExpiresAt > now)
            {
                return known;
            }

            _validated.TryRemove(key, out _);
        }

        System.Security.Claims.ClaimsPrincipal principal;
        try
        {
            principal = await _validation.ValidateAccessTokenAsync(token, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException)
        {
            return null; // Not one of ours, expired or tampered with: the caller answers 401.
        }

        if (!Guid.TryParse(principal.GetClaim(OAuthPaths.DeploymentClaim), out var deploymentId)
            || principal.GetAuthorizationId() is not { } approval
            || principal.GetExpirationDate() is not { } expiresAt)
        {
            return null;
        }

        if (_validated.Count >= MaxValidatedTokens)
        {
            _validated.Clear(); // Bounded: a flood of distinct valid tokens costs validations again, never memory.
        }

        var validated = new ValidatedToken(approval, deploymentId, expiresAt);
        _validated[key] = validated;
        return validated;
    }

    /// <summary>Forgets that the approval stood: the next request with one of its tokens reads the database.</summary>
    public void Forget(string approvalId)
    {
        Interlocked.Increment(ref _revocations);
        _standingUntil.TryRemove(approvalId, out _);
    }

    /// <summary>Forgets every approval (when revocations made elsewhere may have been missed).</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _revocations);
        _standingUntil.Clear();
    }

    public void Dispose() => _subscription.Dispose();

    private Task OnUpdate(StatusUpdate update)
    {
        if (update is OAuthApprovalRevoked revoked)
        {
            Forget(revoked.ApprovalId);
        }
        else if (update is StatusFeedInterrupted)
        {
            ForgetAll();
        }

        return Task.CompletedTask;
    }

    private sealed record ValidatedToken(string ApprovalId, Guid DeploymentId, DateTimeOffset ExpiresAt);
}
