using Catwalk.Core.Analysis;
using Catwalk.Core.Analysis.Caching;

namespace Catwalk.Tests.Analysis;

/// <summary>A cache that never has anything: for runs that must analyse every time without a database.</summary>
internal sealed class NoAnalysisCache : IAnalysisCache
{
    public Task<RepositoryAnalysis?> GetAsync(string normalizedRepoUrl, CancellationToken cancellationToken) => Task.FromResult<RepositoryAnalysis?>(null);

    public Task StoreAsync(RepositoryAnalysis analysis, CancellationToken cancellationToken) => Task.CompletedTask;
}
