namespace Catwalk.Core.Analysis;

/// <summary>From a GitHub URL to what it takes to run the MCP server in it.</summary>
public interface IRepositoryAnalyzer
{
    /// <summary>
    /// Analyses the repository at <paramref name="repoUrl"/> (served from the cache unless <see cref="AnalysisRequest.Force"/>),
    /// reporting each stage to <paramref name="progress"/>. Throws <see cref="AnalysisFailedException"/> for failures the
    /// user must see (bad URL, repository not found, rate limit, unknown package, upstream unreachable).
    /// </summary>
    Task<RepositoryAnalysis> AnalyzeAsync(string repoUrl, AnalysisRequest request, IProgress<AnalysisProgress>? progress, CancellationToken ct);
}
