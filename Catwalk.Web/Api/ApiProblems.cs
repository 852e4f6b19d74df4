using Catwalk.Core.Deployments;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>The problem details (RFC 9457) the API answers with; each says what to do next.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult DeploymentNotFound(Guid id) =>
        TypedResults.Problem(
            detail: $"There is no deployment {id} among yours. List them with GET /api/deployments.",
            statusCode: StatusCodes.Status404NotFound,
            title: "Deployment not found");

    public static ProblemHttpResult MachineNotFound(string machineId) =>
        TypedResults.Problem(
            detail: $"No runtime knows machine {machineId}. List machines with GET /api/admin/machines.",
            statusCode: StatusCodes.Status404NotFound,
            title: "Machine not found");

    /// <summary>409 with the clash: the name, the deployment that has it, and the field error a form shows.</summary>
    public static ProblemHttpResult NameTaken(Core.Deployments.DeploymentNameTakenException clash) =>
        TypedResults.Problem(
            detail: clash.Message,
            statusCode: StatusCodes.Status409Conflict,
            title: "Deployment name already used",
            extensions: new Dictionary<string, object?>
            {
                ["name"] = clash.Name,
                ["existingId"] = clash.ExistingId,
                ["errors"] = new Dictionary<string, string[]> { ["name"] = [clash.Message] },
            });

    public static ProblemHttpResult NotNow(DeploymentTransitionRefusedException refused) =>
        TypedResults.Problem(
            detail: $"Not now: {refused.Refusal}. Read its status with GET /api/deployments/{refused.DeploymentId}.",
            statusCode: StatusCodes.Status409Conflict,
            title: "The deployment's status does not allow this");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: "Some fields are not valid; each error says what a valid value looks like.",
            title: "The request is not valid");
}
