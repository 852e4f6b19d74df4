using Catwalk.Core.Deployments;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Catwalk.Core.Accounts;

/// <summary>Why a user deletion was refused, or that it happened.</summary>
public enum UserDeletionOutcome
{
    Deleted,
    NotFound,
    NotAdmin,
    Self,
    LastAdmin,
}

public sealed record UserDeletionResult(UserDeletionOutcome Outcome, int DeploymentsDeleted = 0, int ClientsRevoked = 0)
{
    /// <summary>What to tell the admin when the deletion was refused.</summary>
    public string? Problem => Outcome switch
    {
        UserDeletionOutcome.NotFound => "That user no longer exists.",
        UserDeletionOutcome.NotAdmin => "Only an admin can delete users.",
        UserDeletionOutcome.Self => "You cannot delete your own account: ask another admin.",
        UserDeletionOutcome.LastAdmin => "This is the last admin: make someone else an admin first.",
        _ => null,
    };
}

/// <summary>
/// An admin deletes a user: the account is locked at once (no sign-in, no API token), every OAuth approval and token
/// of theirs is revoked (their clients are refused on the next request), each of their deployments is stopped and
/// deleted like a Delete click, then the account goes and the audit log records who did it.
/// </summary>
public sealed partial class UserDeletion(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentLifecycle lifecycle,
    DeploymentStatusFeed feed,
    AuditLog audit,
    TimeProvider time,
    ILogger<UserDeletion> logger)
{
    public async Task<UserDeletionResult> DeleteAsync(Viewer actor, string userId, string auditDetail, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Email }).FirstOrDefaultAsync(cancellationToken);
        var refusal = !actor.IsAdmin ? UserDeletionOutcome.NotAdmin
            : user is null ? UserDeletionOutcome.NotFound
            : string.Equals(actor.UserId, userId, StringComparison.Ordinal) ? UserDeletionOutcome.Self
            : await IsLastAdminAsync(db, userId, cancellationToken) ? UserDeletionOutcome.LastAdmin
            : (UserDeletionOutcome?)null;
        if (refusal is { } refused)
        {
            return new UserDeletionResult(refused);
        }

        await LockOutAsync(db, userId, cancellationToken);
        var clients = await RevokeOAuthAsync(db, userId, cancellationToken);
        var deployments = await DeleteDeploymentsAsync(db, userId, cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
        await audit.RecordAsync(actor.UserId, AuditActions.UserDeleted, userId,
            $"{auditDetail}; {deployments} deployment(s) deleted, {clients} OAuth client(s) revoked", cancellationToken);
        LogDeleted(logger, userId, actor.UserId, deployments, clients);
        return new UserDeletionResult(UserDeletionOutcome.Deleted, deployments, clients);
    }

    private static async Task<bool> IsLastAdminAsync(CatwalkDbContext db, string userId, CancellationToken cancellationToken)
    {
        var admins = UserDirectory.AdminIds(db);
        return await admins.ContainsAsync(userId, cancellationToken) && await admins.CountAsync(cancellationToken) <= 1;
    }

    /// <summary>First, so nothing new starts meanwhile: sign-in refused, cookies invalid at their next check, API tokens gone.</summary>
    private static async Task LockOutAsync(CatwalkDbContext db, string userId, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.LockoutEnabled, true)
            .SetProperty(u => u.LockoutEnd, DateTimeOffset.MaxValue)
            .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N")), cancellationToken);
        await db.PersonalApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Every approval the user gave (on their deployments or, as an admin, on others') and every token under them.</summary>
    private async Task<int> RevokeOAuthAsync(CatwalkDbContext db, string userId, CancellationToken cancellationToken)
    {
        var approvals = await db.OAuthAuthorizations.Where(a => a.Subject == userId && a.Status == Statuses.Valid)
            .Select(a => new { a.Id, a.DeploymentId }).ToListAsync(cancellationToken);
        await db.OAuthAuthorizations.Where(a => a.Subject == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, Statuses.Revoked), cancellationToken);
        await db.OAuthTokens.Where(t => t.Subject == userId && t.Status != Statuses.Revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, Statuses.Revoked), cancellationToken);
        foreach (var approval in approvals.Where(a => a.DeploymentId is not null))
        {
            await feed.PublishAsync(new OAuthApprovalRevoked(approval.Id!, approval.DeploymentId!.Value, time.GetUtcNow()));
        }

        return approvals.Count;
    }

    private async Task<int> DeleteDeploymentsAsync(CatwalkDbContext db, string userId, CancellationToken cancellationToken)
    {
        var owned = await db.Deployments.Where(d => d.OwnerId == userId).Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in owned)
        {
            try
            {
                await lifecycle.DeleteAsync(id, cancellationToken);
            }
            catch (DeploymentTransitionRefusedException)
            {
                // Already being deleted by another request: that deletion finishes it.
            }
            catch (DeploymentNotFoundException)
            {
                // Deleted meanwhile.
            }
        }

        return owned.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} deleted by admin {AdminId}: {Deployments} deployment(s) deleted, {Clients} OAuth client(s) revoked")]
    private static partial void LogDeleted(ILogger logger, string userId, string adminId, int deployments, int clients);
}
