using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Web.Accounts;
using Catwalk.Web.Components.Shared;
using MudBlazor;

namespace Catwalk.Web.Components.Deployments;

/// <summary>
/// What the deployments pages do to a deployment, for the signed-in viewer: each action first checks the viewer may see
/// the deployment, asks before destroying anything, and reports the outcome in a snackbar. Long operations (start,
/// restart) are awaited here while the status chips follow them live through the feed.
/// </summary>
public sealed class DeploymentActions(
    DeploymentLifecycle lifecycle,
    DeploymentQueries queries,
    CurrentViewer currentViewer,
    AuditLog audit,
    IDialogService dialogs,
    ISnackbar snackbar,
    ILogger<DeploymentActions> logger)
{
    public Task StopAsync(DeploymentView deployment) =>
        RunAsync(deployment, "stopped", "deployment-stopped", (id, ct) => lifecycle.StopAsync(id, "Stopped from the web UI", ct));

    public Task StartAsync(DeploymentView deployment) =>
        RunAsync(deployment, "started", "deployment-started", (id, ct) => lifecycle.StartAsync(id, "Started from the web UI", ct));

    public Task RestartAsync(DeploymentView deployment) =>
        RunAsync(deployment, "restarted", "deployment-restarted", (id, ct) => lifecycle.RestartAsync(id, ct));

    /// <summary>Asks first; true when the deployment was deleted.</summary>
    public async Task<bool> DeleteAsync(DeploymentView deployment)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(
            $"Delete {deployment.Name}?",
            "Its machine is destroyed, its credentials and history are removed, and its endpoint stops working. This cannot be undone.",
            yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return false;
        }

        return await RunAsync(deployment, "deleted", "deployment-deleted", (id, ct) => lifecycle.DeleteAsync(id, ct));
    }

    /// <summary>Asks first; the new token (shown once) or null.</summary>
    public async Task<string?> RotateTokenAsync(DeploymentView deployment)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync(
            $"Rotate the access token of {deployment.Name}?",
            "The current token stops working at once; every MCP client using it needs the new one.",
            yesText: "Rotate", cancelText: "Cancel");
        if (confirmed != true)
        {
            return null;
        }

        string? token = null;
        await RunAsync(deployment, "given a new access token", "deployment-token-rotated", async (id, ct) => token = await lifecycle.RotateTokenAsync(id, ct));
        return token;
    }

    /// <summary>Replaces the credentials and restarts the machine with them.</summary>
    public Task<bool> UpdateCredentialsAsync(DeploymentView deployment, IReadOnlyDictionary<string, string> environment) =>
        RunAsync(deployment, "redeployed with the new credentials", "deployment-credentials-replaced", (id, ct) => lifecycle.RedeployAsync(id, environment, null, ct));

    /// <param name="auditAction">The audit log's name for it (the same names the JSON API records).</param>
    private async Task<bool> RunAsync(DeploymentView deployment, string outcome, string auditAction, Func<Guid, CancellationToken, Task> action)
    {
        var viewer = await currentViewer.GetAsync();
        if (viewer is null || await queries.FindAsync(viewer, deployment.Id, CancellationToken.None) is null)
        {
            snackbar.Add($"{deployment.Name} is gone.", Severity.Warning);
            return false;
        }

        try
        {
            await action(deployment.Id, CancellationToken.None);
            await audit.RecordAsync(viewer.UserId, auditAction, deployment.Id.ToString(), UiAudit.Detail(deployment.Name), CancellationToken.None);
            snackbar.Add($"{deployment.Name} was {outcome}.", Severity.Success);
            return true;
        }
        catch (DeploymentValidationException ex)
        {
            snackbar.Add(string.Join(" ", ex.Errors.SelectMany(e => e.Value)), Severity.Error);
        }
        catch (DeploymentNotFoundException)
        {
            snackbar.Add($"{deployment.Name} is gone.", Severity.Warning);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DeploymentActionsLog.ActionFailed(logger, ex, deployment.Id);
            snackbar.Add($"{deployment.Name} could not be {outcome}: {ex.Message}", Severity.Error);
        }

        return false;
    }
}

internal static partial class DeploymentActionsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "A deployment action from the UI failed for {DeploymentId}")]
    public static partial void ActionFailed(ILogger logger, Exception exception, Guid deploymentId);
}
