using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// The shape every slow deployment action shares: 404 unless the caller may see the deployment, an audit event,
/// the action's first transition, then 202 with the status just written while the lifecycle works in the background
/// (409 when the deployment's status does not allow the action).
/// </summary>
internal sealed class ApiDeploymentActions(
    DeploymentQueries queries,
    DeploymentLifecycle lifecycle,
    ApiBackgroundOperations background,
    ApiAudit audit,
    DeploymentEndpointUrls urls)
{
    public async Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> AcceptAsync(HttpContext context, Guid id, string action,
        Func<DeploymentLifecycle, CancellationToken, Task<DeploymentOperation>> begin)
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
            operation = await begin(lifecycle, ct);
        }
        catch (DeploymentTransitionRefusedException refused)
        {
            return ApiProblems.NotNow(refused);
        }
        catch (DeploymentNotFoundException)
        {
            return ApiProblems.DeploymentNotFound(id);
        }

        await audit.RecordAsync(user, action, id.ToString(), ct);
        background.Start(action, id.ToString(), _ => operation.Completion);
        var names = await queries.EnvNamesAsync(viewer, id, ct) ?? [];
        return TypedResults.Accepted($"/api/deployments/{id}", DeploymentEndpoints.ToResponse(deployment with
        {
            Status = operation.Accepted.Status,
            Error = operation.Accepted.ErrorMessage,
            MachineId = operation.Accepted.MachineId,
            Version = operation.Accepted.PackageVersion,
            UpdatedAt = operation.Accepted.UpdatedAt,
        }, names, urls.For(context.Request, id)));
    }
}
