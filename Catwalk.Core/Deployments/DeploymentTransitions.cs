using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The one place a deployment's status changes: writes the new status and a deployment event with its reason in
/// one transaction, then publishes the change on the status feed.
/// </summary>
public sealed class DeploymentTransitions(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentStatusFeed feed,
    TimeProvider time)
{
    /// <summary>Moves the deployment to <paramref name="to"/>, recording why. Returns the updated row, or null when
    /// the deployment no longer exists. <paramref name="change"/> may set other columns in the same write.</summary>
    public async Task<Deployment?> MoveAsync(
        Guid deploymentId,
        DeploymentStatus to,
        string reason,
        string? detail = null,
        Action<Deployment>? change = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deployment = await db.Deployments.FirstOrDefaultAsync(d => d.Id == deploymentId, cancellationToken);
        if (deployment is null)
        {
            return null;
        }

        var from = deployment.Status;
        var now = time.GetUtcNow();
        change?.Invoke(deployment);
        deployment.Status = to;
        deployment.UpdatedAt = now;
        deployment.ErrorMessage = to == DeploymentStatus.Failed ? Truncate(detail is null ? reason : $"{reason}: {detail}", 4000) : null;
        db.DeploymentEvents.Add(new DeploymentEvent
        {
            DeploymentId = deploymentId,
            At = now,
            FromStatus = from,
            ToStatus = to,
            Reason = Truncate(reason, 256),
            Detail = detail is null ? null : Truncate(detail, 8000),
        });
        await db.SaveChangesAsync(cancellationToken);
        await feed.PublishAsync(new DeploymentStatusChanged(deploymentId, deployment.OwnerId, from, to, reason, detail, now));
        return deployment;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
