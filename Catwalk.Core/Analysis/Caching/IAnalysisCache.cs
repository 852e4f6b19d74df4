namespace Catwalk.Core.Analysis.Caching;

/// <summary>Analysis results kept for a while, by normalized repository URL.</summary>
public interface IAnalysisCache
{
    /// <summary>The stored result when one exists and has not expired.</summary>
    Task<RepositoryAnalysis?> GetAsync(string normalizedRepoUrl, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) the result for its <see cref="RepositoryAnalysis.RepoUrl"/>.</summary>
    Task StoreAsync(RepositoryAnalysis analysis, CancellationToken cancellationToken);
}
