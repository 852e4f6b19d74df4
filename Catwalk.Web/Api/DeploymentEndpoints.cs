using System.Security.Claims;
using Catwalk.Core.Accounts;
using Catwalk.Core.Analysis;
using Catwalk.Core.Credentials;
using Catwalk.Core.Deployments;
using Catwalk.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// <c>/api/deployments</c>: the caller's own deployments (all of them for an admin); anyone else's answers 404.
/// Slow lifecycle steps answer 202 and continue in the background; watch <c>status</c> or the events.
/// </summary>
internal static class DeploymentEndpoints
{
    private const int DefaultLogLines = 100;

    public static RouteGroupBuilder MapDeploymentEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments").WithTags("Deployments");
        group.MapGet("/", ListAsync).WithName("ListDeployments").WithSummary("Lists your deployments, newest first (all of them for an admin).");
        group.MapPost("/", CreateAsync).WithName("CreateDeployment")
            .WithSummary("Creates a deployment; answers 201 at once while the machine is provisioned. The access token appears only in this answer.")
            .RequireRateLimiting(Security.ApiRateLimits.DeployPolicy);
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDeployment").WithSummary("One deployment (never a credential value).");
        group.MapPost("/{id:guid}/stop", StopAsync).WithName("StopDeployment").WithSummary("Stops the machine (202; the status moves to Stopped).");
        group.MapPost("/{id:guid}/start", StartAsync).WithName("StartDeployment").WithSummary("Starts the machine (202; the status moves to Running).");
        group.MapPost("/{id:guid}/restart", RestartAsync).WithName("RestartDeployment").WithSummary("Stops and starts the machine (202).");
        group.MapPut("/{id:guid}/credentials", ReplaceCredentialsAsync).WithName("ReplaceDeploymentCredentials")
            .WithSummary("Replaces every credential and redeploys with them (202).");
        group.MapPost("/{id:guid}/rotate-token", RotateTokenAsync).WithName("RotateDeploymentToken")
            .WithSummary("Replaces the access token; the old one stops working at once. The new one appears only in this answer.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteDeployment").WithSummary("Destroys the machine and deletes the deployment and its credentials (202).");
        group.MapGet("/{id:guid}/events", EventsAsync).WithName("GetDeploymentEvents").WithSummary("The status timeline, oldest first.");
        group.MapGet("/{id:guid}/logs", LogsAsync).WithName("GetDeploymentLogs").WithSummary("The last lines (tail, 1 to 1000, default 100) of the server's stderr.");
        return group;
    }

    private static async Task<Ok<DeploymentResponse[]>> ListAsync(ClaimsPrincipal user, DeploymentQueries queries, ICredentialVault vault,
        DeploymentEndpointUrls urls, HttpRequest request, CancellationToken ct)
    {
        var deployments = await queries.ListAsync(ViewerOf(user), null, ct);
        var answers = new List<DeploymentResponse>(deployments.Count);
        foreach (var deployment in deployments)
        {
            // The list already applied the ownership rule: read the names straight from the vault.
            answers.Add(ToResponse(deployment, await vault.ListNamesAsync(deployment.Id, ct), urls.For(request, deployment.Id)));
        }

        return TypedResults.Ok(answers.ToArray());
    }

    private static async Task<Results<Created<CreatedDeploymentResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(CreateDeploymentBody body,
        ClaimsPrincipal user, DeploymentCommands commands, DeploymentEndpointUrls urls, HttpRequest request, CancellationToken ct)
    {
        var create = ApiRequestValidation.ToCreateRequest(ViewerOf(user).UserId, body, out var errors);
        if (create is null)
        {
            return ApiProblems.Invalid(errors);
        }

        CreatedDeployment created;
        try
        {
            created = await commands.CreateAsync(ViewerOf(user), create, ApiAudit.DetailOf(user), ct);
        }
        catch (DeploymentValidationException ex)
        {
            return ApiProblems.Invalid(ex.Errors.ToDictionary());
        }
        catch (DeploymentNameTakenException ex)
        {
            return ApiProblems.NameTaken(ex);
        }

        var deployment = created.Deployment;
        return TypedResults.Created($"/api/deployments/{deployment.Id}",
            new CreatedDeploymentResponse(deployment.Id, deployment.Name, deployment.Status.ToString(), urls.For(request, deployment.Id), created.AccessToken));
    }

    private static async Task<Results<Ok<DeploymentResponse>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, DeploymentQueries queries,
        DeploymentEndpointUrls urls, HttpRequest request, CancellationToken ct)
    {
        var viewer = ViewerOf(user);
        var deployment = await queries.FindAsync(viewer, id, ct);
        if (deployment is null)
        {
            return ApiProblems.DeploymentNotFound(id);
        }

        var names = await queries.EnvNamesAsync(viewer, id, ct) ?? [];
        return TypedResults.Ok(ToResponse(deployment, names, urls.For(request, id)));
    }

    private static Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> StopAsync(Guid id, HttpContext context, ApiDeploymentActions actions) =>
        actions.AcceptAsync(context, id, AuditActions.DeploymentStopped, (commands, viewer, audit, token) => commands.StopAsync(viewer, id, "Stop requested through the API", audit, token));

    private static Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> StartAsync(Guid id, HttpContext context, ApiDeploymentActions actions) =>
        actions.AcceptAsync(context, id, AuditActions.DeploymentStarted, (commands, viewer, audit, token) => commands.StartAsync(viewer, id, "Start requested through the API", audit, token));

    private static Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> RestartAsync(Guid id, HttpContext context, ApiDeploymentActions actions) =>
        actions.AcceptAsync(context, id, AuditActions.DeploymentRestarted, (commands, viewer, audit, token) => commands.RestartAsync(viewer, id, audit, token));

    private static Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult>> DeleteAsync(Guid id, HttpContext context, ApiDeploymentActions actions) =>
        actions.AcceptAsync(context, id, AuditActions.DeploymentDeleted, (commands, viewer, audit, token) => commands.DeleteAsync(viewer, id, audit, token));

    private static async Task<Results<Accepted<DeploymentResponse>, ProblemHttpResult, ValidationProblem>> ReplaceCredentialsAsync(Guid id,
        CredentialsBody body, HttpContext context, ApiDeploymentActions actions)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Env is null)
        {
            errors["env"] = ["Give the complete set of credentials as \"env\": {\"NAME\": \"value\"} ({} removes them all)."];
            return ApiProblems.Invalid(errors);
        }

        var environment = ApiRequestValidation.ToEnvironment(body.Env, errors);
        if (environment is null)
        {
            return ApiProblems.Invalid(errors);
        }

        var accepted = await actions.AcceptAsync(context, id, AuditActions.DeploymentCredentialsReplaced,
            (commands, viewer, audit, token) => commands.RedeployAsync(viewer, id, environment, null, audit, token));
        return accepted.Result switch
        {
            Accepted<DeploymentResponse> ok => ok,
            ProblemHttpResult problem => problem,
            _ => throw new InvalidOperationException("Unexpected result."),
        };
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> RotateTokenAsync(Guid id, ClaimsPrincipal user,
        DeploymentCommands commands, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(new AccessTokenResponse(await commands.RotateTokenAsync(ViewerOf(user), id, ApiAudit.DetailOf(user), ct)));
        }
        catch (DeploymentNotFoundException)
        {
            return ApiProblems.DeploymentNotFound(id);
        }
    }

    private static async Task<Results<Ok<DeploymentEventResponse[]>, ProblemHttpResult>> EventsAsync(Guid id, ClaimsPrincipal user, DeploymentQueries queries, CancellationToken ct)
    {
        var events = await queries.EventsAsync(ViewerOf(user), id, ct);
        return events is null
            ? ApiProblems.DeploymentNotFound(id)
            : TypedResults.Ok(events.Select(e => new DeploymentEventResponse(e.At, e.FromStatus?.ToString(), e.ToStatus.ToString(), e.Reason, e.Detail)).ToArray());
    }

    private static async Task<Results<Ok<DeploymentLogsResponse>, ProblemHttpResult, ValidationProblem>> LogsAsync(Guid id, ClaimsPrincipal user,
        DeploymentQueries queries, CancellationToken ct, int? tail = null)
    {
        var lines = tail ?? DefaultLogLines;
        if (lines is < 1 or > DeploymentQueries.MaxLogLines)
        {
            return ApiProblems.Invalid(new Dictionary<string, string[]>
            {
                ["tail"] = [$"Ask for 1 to {DeploymentQueries.MaxLogLines} lines (?tail=100)."],
            });
        }

        var log = await queries.LogTailAsync(ViewerOf(user), id, lines, ct);
        return log is null ? ApiProblems.DeploymentNotFound(id) : TypedResults.Ok(new DeploymentLogsResponse(log));
    }

    internal static Viewer ViewerOf(ClaimsPrincipal user) =>
        CurrentViewer.From(user) ?? throw new InvalidOperationException("The API's authorization policy lets only signed-in callers through.");

    internal static DeploymentResponse ToResponse(DeploymentView d, IReadOnlyList<string> envNames, Uri endpointUrl) =>
        new(d.Id, d.Name, d.RepoUrl, d.Package, PackageRuntimeJsonConverter.ToWord(d.Runtime), d.Version, d.Status.ToString(), d.RuntimeKind.ToString(),
            endpointUrl, envNames, d.Error, d.CreatedAt, d.LastActivityAt, d.Arguments);
}
