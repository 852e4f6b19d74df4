using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// The shape every slow deployment action shares: 404 unless the caller may see the deployment, an audit event,
/// then 202 with the deployment as it is now while the lifecycle works in the background.
/// </summary>
internal sealed class ApiDeploymentActions(
    DeploymentQueries queries,
    DeploymentLifecycle lifecycle,
    ApiBackgroundOperations background,
    ApiAudit audit,
    DeploymentEndpointUrls urls)
{
    public async Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> AcceptAsync(HttpContext context, Guid id, string action,
        Func<DeploymentLifecycle, CancellationToken, Task> operation)
    {
        var (user, ct) = (context.User, context.RequestAborted);
        var viewer = DeploymentEndpoints.ViewerOf(user);
        var deployment = await queries.FindAsync(viewer, id, ct);
        if (deployment is null)
        {
            return ApiProblems.DeploymentNotFound(id);
        }

        await audit.RecordAsync(user, action, id.ToString(), ct);
        background.Start(action, id.ToString(), token => operation(lifecycle, token));
        var names = await queries.EnvNamesAsync(viewer, id, ct) ?? [];
        return TypedResults.Accepted($"/api/deployments/{id}", DeploymentEndpoints.ToResponse(deployment, names, urls.For(context.Request, id)));
    }
}
