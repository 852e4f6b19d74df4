using System.Security.Claims;
using Catwalk.Core.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// <c>/api/admin/users</c> (admins only): the accounts, and deleting one (its deployments deleted, its OAuth clients
/// revoked; 409 for yourself or the last admin), as Admin › Users does.
/// </summary>
internal static class AdminUserEndpoints
{
    public static RouteGroupBuilder MapAdminUserEndpoints(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/users").WithTags("Admin");
        group.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("Every account, with its deployments and connected OAuth clients counted.");
        group.MapDelete("/{userId}", DeleteAsync).WithName("DeleteUser")
            .WithSummary("Deletes the account after deleting its deployments and revoking its OAuth clients; 409 for yourself or the last admin.");
        return group;
    }

    private static async Task<Ok<UserRow[]>> ListAsync(UserDirectory users, CancellationToken ct) =>
        TypedResults.Ok((await users.ListAsync(ct)).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string userId, ClaimsPrincipal user, UserDeletion deletion, CancellationToken ct)
    {
        var result = await deletion.DeleteAsync(DeploymentEndpoints.ViewerOf(user), userId, ApiAudit.DetailOf(user), ct);
        return result.Outcome switch
        {
            UserDeletionOutcome.Deleted => TypedResults.NoContent(),
            UserDeletionOutcome.NotFound => TypedResults.Problem(detail: result.Problem, statusCode: StatusCodes.Status404NotFound, title: "User not found"),
            UserDeletionOutcome.NotAdmin => TypedResults.Problem(detail: result.Problem, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden"),
            _ => TypedResults.Problem(detail: result.Problem, statusCode: StatusCodes.Status409Conflict, title: "The user cannot be deleted"),
        };
    }
}
