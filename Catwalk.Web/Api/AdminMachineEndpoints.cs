using System.Security.Claims;
using Catwalk.Core.Accounts;
using Catwalk.Core.Deployments;
using Catwalk.Core.Machines.Admin;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary>
/// <c>/api/admin/machines</c> (admins only): every machine the runtimes know, orphans included. Stop and start of a
/// deployment's machine go through its lifecycle (202); only an orphan can be destroyed (a deployment's machine: 409).
/// </summary>
internal static class AdminMachineEndpoints
{
    public static RouteGroupBuilder MapAdminMachineEndpoints(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/machines").WithTags("Admin");
        group.MapGet("/", ListAsync).WithName("ListMachines").WithSummary("Every machine the runtimes know, with its deployment and owner (null for an orphan).");
        group.MapPost("/{machineId}/stop", StopAsync).WithName("StopMachine").WithSummary("Stops the machine (through its deployment's lifecycle when it has one; 202).");
        group.MapPost("/{machineId}/start", StartAsync).WithName("StartMachine").WithSummary("Starts the machine (through its deployment's lifecycle when it has one; 202).");
        group.MapPost("/{machineId}/destroy", DestroyAsync).WithName("DestroyMachine").WithSummary("Destroys an orphan machine; a deployment's machine is refused with 409.");
        return group;
    }

    private static async Task<Ok<MachineResponse[]>> ListAsync(MachineDirectory machines, CancellationToken ct) =>
        TypedResults.Ok((await machines.ListAsync(ct)).Select(ToResponse).ToArray());

    private static Task<Results<Accepted<MachineResponse>, ProblemHttpResult>> StopAsync(string machineId, ClaimsPrincipal user, DeploymentCommands commands,
        ApiBackgroundOperations background, CancellationToken ct) =>
        AcceptAsync(machineId, AuditActions.MachineStopped, background, () => commands.StopMachineAsync(DeploymentEndpoints.ViewerOf(user), machineId, ApiAudit.DetailOf(user), ct));

    private static Task<Results<Accepted<MachineResponse>, ProblemHttpResult>> StartAsync(string machineId, ClaimsPrincipal user, DeploymentCommands commands,
        ApiBackgroundOperations background, CancellationToken ct) =>
        AcceptAsync(machineId, AuditActions.MachineStarted, background, () => commands.StartMachineAsync(DeploymentEndpoints.ViewerOf(user), machineId, ApiAudit.DetailOf(user), ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> DestroyAsync(string machineId, ClaimsPrincipal user, DeploymentCommands commands, CancellationToken ct)
    {
        try
        {
            await commands.DestroyMachineAsync(DeploymentEndpoints.ViewerOf(user), machineId, ApiAudit.DetailOf(user), ct);
        }
        catch (MachineNotFoundException)
        {
            return ApiProblems.MachineNotFound(machineId);
        }
        catch (MachineActionException ex)
        {
            return TypedResults.Problem(detail: ex.Message, statusCode: StatusCodes.Status409Conflict, title: "The machine cannot be destroyed");
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<MachineResponse>, ProblemHttpResult>> AcceptAsync(string machineId, string action,
        ApiBackgroundOperations background, Func<Task<MachineOperation>> begin)
    {
        MachineOperation operation;
        try
        {
            operation = await begin();
        }
        catch (MachineNotFoundException)
        {
            return ApiProblems.MachineNotFound(machineId);
        }

        background.Start(action, machineId, _ => operation.Completion);
        return TypedResults.Accepted("/api/admin/machines", ToResponse(operation.Machine));
    }

    private static MachineResponse ToResponse(MachineRow m) =>
        new(m.MachineId, m.DeploymentId, m.DeploymentName, m.OwnerEmail ?? m.OwnerId, m.RuntimeKind.ToString(), m.State.ToString(), m.Health.ToString(),
            m.Region, m.UpstreamUrl, m.LastCheckedAt, m.StartedAt, m.OrphanReason);
}
