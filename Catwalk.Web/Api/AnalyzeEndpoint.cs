using System.Security.Claims;
using Catwalk.Core.Accounts;
using Catwalk.Core.Analysis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Catwalk.Web.Api;

/// <summary><c>POST /api/analyze</c>: what it takes to run the MCP server in a GitHub repository, with the caller's own OpenRouter key when set.</summary>
internal static class AnalyzeEndpoint
{
    public static RouteGroupBuilder MapAnalyzeEndpoint(this RouteGroupBuilder api)
    {
        api.MapPost("/analyze", AnalyzeAsync).WithTags("Analysis").WithName("AnalyzeRepository")
            .WithSummary("Analyses a GitHub repository: package, runtime, environment variables, tools (served from the cache unless force is true).")
            .RequireRateLimiting(Security.ApiRateLimits.AnalyzePolicy);
        return api;
    }

    private static async Task<Results<Ok<RepositoryAnalysis>, ValidationProblem, ProblemHttpResult>> AnalyzeAsync(AnalyzeBody body, ClaimsPrincipal user,
        IRepositoryAnalyzer analyzer, UserOpenRouterKeys openRouterKeys, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var repoUrl = ApiRequestValidation.ToRepoUrl(body.RepoUrl, errors);
        if (repoUrl is null)
        {
            return ApiProblems.Invalid(errors);
        }

        var viewer = DeploymentEndpoints.ViewerOf(user);
        var request = new AnalysisRequest { Force = body.Force, OpenRouterApiKey = await openRouterKeys.ReadForAnalysisAsync(viewer.UserId, ct) };
        try
        {
            return TypedResults.Ok(await analyzer.AnalyzeAsync(repoUrl, request, null, ct));
        }
        catch (AnalysisFailedException ex) when (ex.Kind == AnalysisFailureKind.InvalidUrl)
        {
            errors["repoUrl"] = [ex.Message];
            return ApiProblems.Invalid(errors);
        }
        catch (AnalysisFailedException ex)
        {
            var status = ex.Kind switch
            {
                AnalysisFailureKind.RepositoryNotFound => StatusCodes.Status404NotFound,
                AnalysisFailureKind.PackageNotFound or AnalysisFailureKind.NoPackage => StatusCodes.Status422UnprocessableEntity,
                AnalysisFailureKind.RateLimited => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status502BadGateway,
            };
            return TypedResults.Problem(detail: ex.Message, statusCode: status, title: "The repository could not be analysed",
                extensions: new Dictionary<string, object?> { ["code"] = ex.Code });
        }
    }
}
