using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Web.Accounts;
using Catwalk.Web.Components.Shared;
using MudBlazor;

namespace Catwalk.Web.Components.Deployments;

/// <summary>
/// What the deployments pages do to a deployment, for the signed-in viewer, through <see cref="DeploymentCommands"/> (which
/// authorises and audits): asks before destroying anything, and reports the outcome in a snackbar. Long operations (start,
/// restart) are awaited here while the status chips follow them live through the feed.
/// </summary>
public sealed class DeploymentActions(
    DeploymentCommands commands,
    CurrentViewer currentViewer,
    IDialogService dialogs,
    ISnackbar snackbar,
    ILogger<DeploymentActions> logger)
{
    public Task StopAsync(DeploymentView deployment) =>
        RunAsync(deployment, "stopped", (viewer, id, detail, ct) => Await(commands.StopAsync(viewer, id, "Stopped from the web UI", detail, ct)));

    public Task StartAsync(DeploymentView deployment) =>
        RunAsync(deployment, "started", (viewer, id, detail, ct) => Await(commands.StartAsync(viewer, id, "Started from the web UI", detail, ct)));

    public Task RestartAsync(DeploymentView deployment) =>
        RunAsync(deployment, "restarted", (viewer, id, detail, ct) => Await(commands.RestartAsync(viewer, id, detail, ct)));

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

        return await RunAsync(deployment, "deleted", (viewer, id, detail, ct) => Await(commands.DeleteAsync(viewer, id, detail, ct)));
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
        await RunAsync(deployment, "given a new access token", async (viewer, id, detail, ct) => token = await commands.RotateTokenAsync(viewer, id, detail, ct));
        return token;
    }

    /// <summary>Replaces the credentials and restarts the machine with them.</summary>
    public Task<bool> UpdateCredentialsAsync(DeploymentView deployment, IReadOnlyDictionary<string, string> environment) =>
        RunAsync(deployment, "redeployed with the new credentials",
            (viewer, id, detail, ct) => Await(commands.RedeployAsync(viewer, id, environment, null, detail, ct)));

    /// <summary>The pages wait for the whole operation (the status chips follow it live meanwhile).</summary>
    private static async Task Await(Task<DeploymentOperation> begin) => await (await begin).Completion;

    private async Task<bool> RunAsync(DeploymentView deployment, string outcome, Func<Viewer, Guid, string, CancellationToken, Task> action)
    {
        var viewer = await currentViewer.GetAsync();
        if (viewer is null)
        {
            snackbar.Add($"{deployment.Name} is gone.", Severity.Warning);
            return false;
        }

        try
        {
            await action(viewer, deployment.Id, UiAudit.Detail(deployment.Name), CancellationToken.None);
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
        catch (DeploymentTransitionRefusedException refused)
        {
            snackbar.Add($"{deployment.Name} cannot be {outcome} now: {refused.Refusal}.", Severity.Warning);
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
