using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Web.OAuth;

/// <summary>A client connected to a deployment through OAuth, as the deployment page lists it.</summary>
public sealed record OAuthConnection(string Id, string ClientName, string? RedirectHost, DateTimeOffset? CreatedAt, DateTimeOffset? LastUsedAt);

/// <summary>Lists and disconnects the OAuth clients of a deployment (the caller has checked the viewer may see it).</summary>
internal sealed partial class OAuthConnections(
    IDbContextFactory<CatwalkDbContext> contexts,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    DeploymentStatusFeed feed,
    TimeProvider time,
    ILogger<OAuthConnections> logger)
{
    public async Task<IReadOnlyList<OAuthConnection>> ListAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.OAuthAuthorizations.AsNoTracking()
            .Where(a => a.DeploymentId == deploymentId && a.Status == Statuses.Valid)
            .OrderByDescending(a => a.CreationDate)
            .Select(a => new { a.Id, a.Application!.DisplayName, a.Application.RedirectUris, a.CreationDate, a.LastUsedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new OAuthConnection(r.Id!, r.DisplayName ?? "MCP client", FirstRedirectHost(r.RedirectUris),
            r.CreationDate is { } created ? new DateTimeOffset(created, TimeSpan.Zero) : null, r.LastUsedAt)).ToList();
    }

    /// <summary>Revokes the approval and every token issued under it; the client's next call is refused.</summary>
    public async Task<bool> DisconnectAsync(Guid deploymentId, string approvalId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.OAuthAuthorizations.AnyAsync(a => a.Id == approvalId && a.DeploymentId == deploymentId, cancellationToken))
        {
            return false;
        }

        await RevokeAsync(approvalId, deploymentId, cancellationToken);
        LogDisconnected(logger, approvalId, deploymentId);
        return true;
    }

    /// <summary>
    /// A client revoked one of its tokens (RFC 7009): the whole approval goes, so the access tokens issued with that
    /// refresh token stop working too (what RFC 7009 §2.1 recommends) and the deployment page no longer lists it.
    /// </summary>
    public async Task RevokedByClientAsync(string approvalId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deploymentId = await db.OAuthAuthorizations.Where(a => a.Id == approvalId).Select(a => a.DeploymentId).FirstOrDefaultAsync(cancellationToken);
        if (deploymentId is { } id)
        {
            await RevokeAsync(approvalId, id, cancellationToken);
            LogRevokedByClient(logger, approvalId, id);
        }
    }

    private async Task RevokeAsync(string approvalId, Guid deploymentId, CancellationToken cancellationToken)
    {
        var authorization = await authorizations.FindByIdAsync(approvalId, cancellationToken);
        if (authorization is not null)
        {
            await authorizations.TryRevokeAsync(authorization, cancellationToken);
        }

        await tokens.RevokeByAuthorizationIdAsync(approvalId, cancellationToken);
        // Every instance (this one included) forgets that the approval stood: the client's next call is refused anywhere.
        await feed.PublishAsync(new OAuthApprovalRevoked(approvalId, deploymentId, time.GetUtcNow()));
    }

    private static string? FirstRedirectHost(string? redirectUris)
    {
        var first = redirectUris is null ? null : System.Text.Json.JsonSerializer.Deserialize<string[]>(redirectUris)?.FirstOrDefault();
        return Uri.TryCreate(first, UriKind.Absolute, out var uri) ? uri.Authority : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth approval {ApprovalId} of deployment {DeploymentId} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string approvalId, Guid deploymentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth approval {ApprovalId} of deployment {DeploymentId} revoked by its client")]
    private static partial void LogRevokedByClient(ILogger logger, string approvalId, Guid deploymentId);
}
