using System.Text.Json;
using Catwalk.Core.GitHub;
using Catwalk.Core.Packages;
using Catwalk.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Analysis.Caching;

/// <summary>
/// The analysis cache in <see cref="CatwalkDbContext.AnalysisCache"/>, one row per normalized URL (which carries the
/// ref when the URL names one) and set of sources (the GitHub API and registry base URLs: a result one registry gave
/// is not served when another answers), expiring after <c>ANALYSIS_CACHE_TTL</c>. Each call uses its own scope, so the
/// cache is safe to share (Blazor circuits included).
/// </summary>
internal sealed partial class DatabaseAnalysisCache(
    IServiceScopeFactory scopes,
    IOptions<AnalysisOptions> options,
    IOptions<PackageRegistryOptions> registries,
    IOptions<GitHubOptions> github,
    TimeProvider time,
    ILogger<DatabaseAnalysisCache> logger) : IAnalysisCache
{
    private string SourcesKey => $"{github.Value.BaseUrl.AbsoluteUri} {registries.Value.NpmRegistryUrl.AbsoluteUri} {registries.Value.PypiBaseUrl.AbsoluteUri}";

    public async Task<RepositoryAnalysis?> GetAsync(string normalizedRepoUrl, CancellationToken cancellationToken)
    {
        if (options.Value.CacheTtl <= TimeSpan.Zero)
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        var now = time.GetUtcNow();
        var entry = await db.AnalysisCache.AsNoTracking()
            .Where(e => e.NormalizedRepoUrl == normalizedRepoUrl && e.SourcesKey == SourcesKey && e.ExpiresAt > now)
            .FirstOrDefaultAsync(cancellationToken);
        if (entry is null)
        {
            return null;
        }

        try
        {
            return AnalysisJson.Deserialize(entry.ResultJson);
        }
        catch (JsonException ex)
        {
            // A result stored by an older version that no longer reads: analyse again.
            LogUnreadable(logger, normalizedRepoUrl, ex.Message);
            return null;
        }
    }

    public async Task StoreAsync(RepositoryAnalysis analysis, CancellationToken cancellationToken)
    {
        var ttl = options.Value.CacheTtl;
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CatwalkDbContext>();
        var now = time.GetUtcNow();
        var json = AnalysisJson.Serialize(analysis);
        var key = SourcesKey;
        var entry = await db.AnalysisCache.FirstOrDefaultAsync(e => e.NormalizedRepoUrl == analysis.RepoUrl && e.SourcesKey == key, cancellationToken);
        if (entry is null)
        {
            db.AnalysisCache.Add(new AnalysisCacheEntry { NormalizedRepoUrl = analysis.RepoUrl, SourcesKey = key, ResultJson = json, CreatedAt = now, ExpiresAt = now + ttl });
        }
        else
        {
            entry.ResultJson = json;
            entry.CreatedAt = now;
            entry.ExpiresAt = now + ttl;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // Another request stored the same URL at the same moment; either result will do.
            LogStoreRace(logger, analysis.RepoUrl, ex.InnerException?.Message ?? ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cached analysis of {RepoUrl} could not be read and is ignored: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string repoUrl, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cached analysis of {RepoUrl} was stored concurrently: {Reason}")]
    private static partial void LogStoreRace(ILogger logger, string repoUrl, string reason);
}
