using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// The shape every slow deployment action shares: <see cref="DeploymentCommands"/> authorises, audits and writes the
/// action's first transition; the answer is 202 with the status just written while the lifecycle works in the
/// background (404 unless the caller may see the deployment, 409 when its status does not allow the action).
/// </summary>
internal sealed class ApiDeploymentActions(
    DeploymentQueries queries,
    DeploymentCommands commands,
    ApiBackgroundOperations background,
    DeploymentEndpointUrls urls)
{
    public async Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> AcceptAsync(HttpContext context, Guid id, string action,
        Func<DeploymentCommands, Viewer, string, CancellationToken, Task<DeploymentOperation>> begin)
    {
        var (user, ct) = (context.User, context.RequestAborted);
        var viewer = DeploymentEndpoints.ViewerOf(user);
        var deployment = await queries.FindAsync(viewer, id, ct);
        if (deployment is null)
        {
            return ApiProblems.DeploymentNotFound(id);
        }

        DeploymentOperation operation;
        try
        {
            operation = await begin(commands, viewer, ApiAudit.DetailOf(user), ct);
        }
        catch (DeploymentTransitionRefusedException refused)
        {
            return ApiProblems.NotNow(refused);
        }
        catch (DeploymentNotFoundException)
        {
            return ApiProblems.DeploymentNotFound(id);
        }

        background.Start(action, id.ToString(), _ => operation.Completion);
        var names = await queries.EnvNamesAsync(viewer, id, ct) ?? [];
        var accepted = operation.Accepted;
        return TypedResults.Accepted($"/api/deployments/{id}", DeploymentEndpoints.ToResponse(deployment with
        {
            Status = accepted.Status,
            Error = accepted.ErrorMessage,
            MachineId = accepted.MachineId,
            Version = accepted.PackageVersion,
            UpdatedAt = accepted.UpdatedAt,
        }, names, urls.For(context.Request, id)));
    }
}
