using Catwalk.Core.Machines;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Catwalk.Core.Deployments;

/// <summary>
/// The one place a deployment's status changes. Asks <see cref="DeploymentStateMachine"/> whether the event may happen
/// in the row's status, then writes the new status with compare-and-set (the row must still hold the status it was
/// decided on, so two writers cannot both win) and a deployment event with its reason in one transaction, and
/// publishes the change. Entering Failed stops the deployment's machine first: Failed means nothing runs.
/// </summary>
public sealed partial class DeploymentTransitions(
    IDbContextFactory<CatwalkDbContext> contexts,
    DeploymentStatusFeed feed,
    MachineRuntimes runtimes,
    TimeProvider time,
    ILogger<DeploymentTransitions> logger)
{
    private const int Attempts = 3;

    /// <summary>Stores a new deployment in its first status (Pending, "Created") with its first event, and publishes it.</summary>
    public async Task RecordCreatedAsync(Deployment deployment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        deployment.Status = DeploymentStateMachine.Initial;
        deployment.CreatedAt = deployment.UpdatedAt = now;
        deployment.Events.Add(new DeploymentEvent { At = now, ToStatus = DeploymentStateMachine.Initial, Reason = DeploymentStateMachine.CreatedReason });
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.Deployments.Add(deployment);
            await db.SaveChangesAsync(cancellationToken);
        }

        await feed.PublishAsync(new DeploymentStatusChanged(deployment.Id, deployment.OwnerId, null, deployment.Status, DeploymentStateMachine.CreatedReason, null, now));
    }

    /// <summary>
    /// Applies <paramref name="trigger"/> to the deployment. <paramref name="reason"/> replaces the table's default
    /// reason. <paramref name="expectedStatus"/> (and <paramref name="expectedUpdatedAt"/>) make the write conditional on
    /// the row still being as the caller left or read it: an operation that lost the row to another writer then learns
    /// so (<see cref="DeploymentTransitionOutcome.ChangedMeanwhile"/>) instead of overwriting it. Without them the row's
    /// current status decides (re-read when another writer won the compare-and-set).
    /// </summary>
    public async Task<DeploymentTransitionResult> ApplyAsync(
        Guid deploymentId,
        DeploymentTrigger trigger,
        string? reason = null,
        string? detail = null,
        DeploymentChange? change = null,
        DeploymentStatus? expectedStatus = null,
        DateTimeOffset? expectedUpdatedAt = null,
        CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await LoadAsync(deploymentId, cancellationToken);
            if (row is null)
            {
                return new(DeploymentTransitionOutcome.NotFound, null, "the deployment no longer exists");
            }

            var expected = expectedStatus is not null || expectedUpdatedAt is not null;
            if ((expectedStatus is { } status && row.Status != status) || (expectedUpdatedAt is { } at && row.UpdatedAt != at))
            {
                return new(DeploymentTransitionOutcome.ChangedMeanwhile, row, "the deployment changed meanwhile");
            }

            var decision = DeploymentStateMachine.Decide(row.Status, trigger, row.ErrorMessage);
            if (!decision.IsAllowed)
            {
                return new(DeploymentTransitionOutcome.Refused, row, decision.Refusal);
            }

            if (decision.To == DeploymentStatus.Failed && DeploymentStateMachine.Live.Contains(row.Status))
            {
                await StopMachineAsync(row, change?.MachineId, cancellationToken);
            }

            var written = await TryWriteAsync(row, trigger, decision, reason ?? decision.Reason, detail, change, cancellationToken);
            if (written is not null)
            {
                return new(DeploymentTransitionOutcome.Moved, written, null);
            }

            if (expected || attempt == Attempts)
            {
                return new(DeploymentTransitionOutcome.ChangedMeanwhile, await LoadAsync(deploymentId, cancellationToken), "the deployment changed meanwhile");
            }
        }
    }

    /// <summary>The compare-and-set: the update only matches a row still in the status (and version) it was decided on.</summary>
    private async Task<Deployment?> TryWriteAsync(
        Deployment row, DeploymentTrigger trigger, DeploymentTransitionDecision decision, string reason, string? detail, DeploymentChange? change, CancellationToken ct)
    {
        var (from, seenAt, to, now) = (row.Status, row.UpdatedAt, decision.To, time.GetUtcNow());
        var error = to == DeploymentStatus.Failed ? FailureText(reason, detail, 4000) : null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var updated = await db.Deployments
            .Where(d => d.Id == row.Id && d.Status == from && d.UpdatedAt == seenAt)
            .ExecuteUpdateAsync(s =>
            {
                s.SetProperty(d => d.Status, to);
                s.SetProperty(d => d.UpdatedAt, now);
                s.SetProperty(d => d.ErrorMessage, error);
                if (change?.MachineId is { } machineId)
                {
                    s.SetProperty(d => d.MachineId, machineId.Length == 0 ? null : machineId);
                }

                if (change?.PackageVersion is { } version)
                {
                    s.SetProperty(d => d.PackageVersion, version.Length == 0 ? null : version);
                }

                if (change?.MarkActive == true)
                {
                    s.SetProperty(d => d.LastActivityAt, d => d.LastActivityAt ?? now);
                }
            }, ct);
        if (updated != 1)
        {
            return null;
        }

        db.DeploymentEvents.Add(new DeploymentEvent
        {
            DeploymentId = row.Id,
            At = now,
            FromStatus = from,
            ToStatus = to,
            Reason = Truncate(reason, 256),
            Detail = detail is null ? null : Truncate(detail, 8000),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogMoved(logger, row.Id, from, to, trigger);

        var written = await db.Deployments.AsNoTracking().FirstAsync(d => d.Id == row.Id, ct);
        await feed.PublishAsync(new DeploymentStatusChanged(row.Id, row.OwnerId, from, to, reason, detail, now));
        return written;
    }

    /// <summary>Failed means no process and no started machine: stop it before saying so. A machine that cannot be
    /// stopped (already gone, runtime down) does not keep the failure from being recorded.</summary>
    private async Task StopMachineAsync(Deployment row, string? machineIdBeingRecorded, CancellationToken ct)
    {
        var machineId = string.IsNullOrEmpty(machineIdBeingRecorded) ? row.MachineId : machineIdBeingRecorded;
        if (machineId is null)
        {
            return;
        }

        try
        {
            await runtimes.For(row.RuntimeKind).StopAsync(machineId, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogStopFailed(logger, ex, row.Id, machineId);
        }
    }

    private async Task<Deployment?> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
    }

    /// <summary>The reason, then as much of the output tail as fits, its oldest lines dropped first: the newest
    /// crash is the one to read.</summary>
    private static string FailureText(string reason, string? detail, int max)
    {
        reason = Truncate(reason, Math.Min(max, 1000));
        if (detail is null)
        {
            return reason;
        }

        var room = max - reason.Length - 1;
        if (detail.Length > room)
        {
            // Whole lines only: cut at the first line break inside the part that fits.
            var kept = detail[^room..];
            detail = kept[(kept.IndexOf('\n') + 1)..];
        }

        return $"{reason}\n{detail}";
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deployment {DeploymentId}: {From} → {To} ({Trigger})")]
    private static partial void LogMoved(ILogger logger, Guid deploymentId, DeploymentStatus from, DeploymentStatus to, DeploymentTrigger trigger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId}: stopping machine {MachineId} before recording the failure did not work")]
    private static partial void LogStopFailed(ILogger logger, Exception exception, Guid deploymentId, string machineId);
}
