using System.Diagnostics;
using Catwalk.Core.Analysis.Caching;
using Catwalk.Core.Analysis.Llm;
using Catwalk.Core.Analysis.Reading;
using Catwalk.Core.Analysis.Sources;
using Catwalk.Core.GitHub;
using Catwalk.Core.Packages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Analysis;

/// <summary>
/// The analysis pipeline: validate the URL, use the cache, read the repository from GitHub, run the deterministic
/// analysis, let the LLM (when a key is available) fill gaps, check the package on its registry, cache the result.
/// </summary>
internal sealed partial class RepositoryAnalyzer(
    RepositoryReader reader,
    OpenRouterAnalyst analyst,
    IPackageRegistry registry,
    IAnalysisCache cache,
    IOptions<OpenRouterOptions> openRouter,
    TimeProvider time,
    ILogger<RepositoryAnalyzer> logger) : IRepositoryAnalyzer
{
    /// <summary>At most this many package candidates are looked up before giving up.</summary>
    private const int MaxPackageChecks = 4;

    public async Task<RepositoryAnalysis> AnalyzeAsync(string repoUrl, AnalysisRequest request, IProgress<AnalysisProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!GitHubRepoUrl.TryParse(repoUrl, out var url, out var urlError))
        {
            throw new AnalysisFailedException(AnalysisFailureKind.InvalidUrl, urlError);
        }

        var apiKey = string.IsNullOrWhiteSpace(request.OpenRouterApiKey) ? openRouter.Value.ApiKey : request.OpenRouterApiKey.Trim();
        if (!request.Force && await cache.GetAsync(url.Normalized, ct) is { } cached && (cached.LlmUsed || apiKey is null))
        {
            LogCacheHit(logger, url.Normalized);
            progress?.Report(new AnalysisProgress(AnalysisStage.Done, $"Using the analysis from {cached.AnalyzedAt:yyyy-MM-dd HH:mm} UTC"));
            return cached;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var analysis = await AnalyzeFreshAsync(url, apiKey, progress, ct);
            LogAnalyzed(logger, url.Normalized, analysis.Package, analysis.Env.Count, analysis.LlmUsed, stopwatch.ElapsedMilliseconds);
            return analysis;
        }
        catch (AnalysisFailedException ex)
        {
            LogFailed(logger, url.Normalized, ex.Code, ex.Message);
            throw;
        }
    }

    private async Task<RepositoryAnalysis> AnalyzeFreshAsync(GitHubRepoUrl url, string? apiKey, IProgress<AnalysisProgress>? progress, CancellationToken ct)
    {
        RepositorySnapshot snapshot;
        try
        {
            snapshot = await reader.ReadAsync(url, progress, ct);
        }
        catch (GitHubApiException ex)
        {
            throw new AnalysisFailedException(ex.Failure switch
            {
                GitHubFailure.NotFound => AnalysisFailureKind.RepositoryNotFound,
                GitHubFailure.RateLimited => AnalysisFailureKind.RateLimited,
                _ => AnalysisFailureKind.UpstreamUnreachable,
            }, ex.Message, ex);
        }

        var draft = DeterministicAnalyzer.Analyze(snapshot);
        var llmUsed = false;
        var degraded = false;
        if (apiKey is not null)
        {
            progress?.Report(new AnalysisProgress(AnalysisStage.AskingLlm, $"Asking {analyst.Model} to review {snapshot.Files.Count} files"));
            var outcome = await analyst.ReviewAsync(snapshot, draft, apiKey, ct);
            if (outcome.Answer is not null)
            {
                LlmMerge.Apply(draft, outcome.Answer);
                llmUsed = true;
            }
            else
            {
                draft.Warnings.Add(outcome.Warning!);
                degraded = true;
            }
        }

        var (package, check) = await CheckPackageAsync(url, draft, progress, ct);
        var analysis = Build(url, snapshot, draft, package, check, llmUsed);
        if (!degraded)
        {
            // A result the LLM could not review (429, outage) is not kept: the next try may do better.
            await cache.StoreAsync(analysis, ct);
        }

        progress?.Report(new AnalysisProgress(AnalysisStage.Done,
            $"Found {package.Name} ({PackageCheck.RegistryName(package.Runtime)}) with {analysis.Env.Count} environment variable{(analysis.Env.Count == 1 ? "" : "s")}"));
        return analysis;
    }

    /// <summary>The first candidate the registry knows (preferring npm packages with an executable).</summary>
    private async Task<(PackageCandidate Package, PackageCheck Check)> CheckPackageAsync(
        GitHubRepoUrl url, AnalysisDraft draft, IProgress<AnalysisProgress>? progress, CancellationToken ct)
    {
        if (draft.Packages.Count == 0)
        {
            throw new AnalysisFailedException(AnalysisFailureKind.NoPackage,
                $"No npm or PyPI package was found for {url.DisplayName}. Catwalk runs MCP servers published to npm (run with npx) or PyPI (run with uvx); " +
                "the repository has no package.json, pyproject.toml, server.json or README command that names one.");
        }

        (PackageCandidate, PackageCheck)? withoutExecutable = null;
        var tried = new List<PackageCandidate>();
        foreach (var candidate in draft.Packages.Take(MaxPackageChecks))
        {
            var registryName = PackageCheck.RegistryName(candidate.Runtime);
            progress?.Report(new AnalysisProgress(AnalysisStage.CheckingPackage, $"Checking {candidate.Name} on {registryName}"));
            PackageCheck check;
            try
            {
                check = await registry.CheckAsync(candidate.Runtime, candidate.Name, ct);
            }
            catch (PackageRegistryUnavailableException ex)
            {
                throw new AnalysisFailedException(AnalysisFailureKind.UpstreamUnreachable, $"{ex.Message} Try again in a minute.", ex);
            }

            tried.Add(candidate);
            if (!check.Exists)
            {
                continue;
            }

            if (candidate.Runtime == PackageRuntime.Npm && check.Executables.Count == 0)
            {
                withoutExecutable ??= (candidate, check);
                continue;
            }

            NoteFallback(draft, tried, candidate);
            return (candidate, check);
        }

        if (withoutExecutable is { } found)
        {
            NoteFallback(draft, tried, found.Item1);
            draft.Warnings.Add($"The npm package {found.Item1.Name} declares no executable (\"bin\"), so `npx -y {found.Item1.Name}` may not start a server.");
            return found;
        }

        var first = tried[0];
        var others = tried.Skip(1).Select(c => $"'{c.Name}' ({PackageCheck.RegistryName(c.Runtime)})").ToList();
        throw new AnalysisFailedException(AnalysisFailureKind.PackageNotFound,
            $"The package '{first.Name}' (named in {first.Path}) was not found on {PackageCheck.RegistryName(first.Runtime)}" +
            (others.Count > 0 ? $", nor were {string.Join(", ", others)}" : "") +
            ". Catwalk can only run servers that are published; if it is published under another name, check the repository's README.");
    }

    private static void NoteFallback(AnalysisDraft draft, List<PackageCandidate> tried, PackageCandidate chosen)
    {
        var skipped = tried.TakeWhile(c => c != chosen).ToList();
        if (skipped.Count > 0)
        {
            draft.Warnings.Add($"'{skipped[0].Name}' (from {skipped[0].Path}) is not on {PackageCheck.RegistryName(skipped[0].Runtime)} or cannot be run; using '{chosen.Name}' from {chosen.Path} instead.");
        }
    }

    private RepositoryAnalysis Build(GitHubRepoUrl url, RepositorySnapshot snapshot, AnalysisDraft draft, PackageCandidate package, PackageCheck check, bool llmUsed)
    {
        var registrySource = $"{PackageCheck.RegistryName(package.Runtime)} registry";
        var version = check.LatestVersion ?? package.Version;
        var versionSource = check.LatestVersion is not null ? registrySource : package.Path;
        var name = draft.ServerName ?? (url.Subdirectory is null ? snapshot.Repository.FullName.Split('/')[^1] : Unscoped(package.Name));
        var nameSource = draft.ServerName is not null ? draft.ServerNameSource! : url.Subdirectory is null ? "GitHub repository" : package.Path;
        var description = draft.Description ?? check.Description;
        var descriptionSource = draft.Description is not null ? draft.DescriptionSource : check.Description is not null ? registrySource : null;

        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var repositoryFiles = snapshot.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        string? Shown(string? source) => source is not null && repositoryFiles.Contains(source) ? ServerFolderPaths.Relative(source, url.Subdirectory) : source;
        foreach (var path in draft.FilesRead)
        {
            fields[Shown(path)!] = [];
        }

        void Credit(string? source, string field)
        {
            source = Shown(source);
            if (source is null)
            {
                return;
            }

            if (!fields.TryGetValue(source, out var list))
            {
                fields[source] = list = [];
            }

            if (!list.Contains(field))
            {
                list.Add(field);
            }
        }

        Credit(package.Path, "package");
        Credit(package.Path, "runtime");
        Credit(versionSource, "version");
        Credit(nameSource, "name");
        Credit(descriptionSource, "description");
        foreach (var variable in draft.Env)
        {
            Credit(variable.Source, "env");
        }

        var argumentsSource = package.ArgumentsSource ?? package.Path;
        if (package.Arguments is [_, ..])
        {
            Credit(argumentsSource, "args");
        }

        foreach (var (_, source) in draft.Tools)
        {
            Credit(source, "tools");
        }

        // After the LLM's review: a result that still found little in a repository with signs of configuration says so.
        if (ConfigurationSignals.Warning(snapshot, draft.Env.Count) is { } littleFound)
        {
            draft.Warnings.Add(littleFound);
        }

        foreach (var field in draft.LlmFields)
        {
            Credit(LlmMerge.Source, field);
        }

        return new RepositoryAnalysis
        {
            RepoUrl = url.Normalized,
            Name = name,
            Description = description,
            Package = package.Name,
            Runtime = package.Runtime,
            Version = version,
            PinnedVersion = package.PinnedVersion,
            Env = draft.Env.Select(e => e.ToSpec() with { Source = Shown(e.Source) }).ToList(),
            Args = (package.Arguments ?? []).Select(a => new ArgumentSpec { Value = a, Source = Shown(argumentsSource) }).ToList(),
            Tools = draft.Tools.Select(t => t.Tool).ToList(),
            Sources = fields.Select(f => new AnalysisSource { Path = f.Key, Fields = f.Value }).ToList(),
            LlmUsed = llmUsed,
            Warnings = draft.Warnings.Distinct().ToList(),
            AnalyzedAt = time.GetUtcNow(),
        };
    }

    private static string Unscoped(string name) => name.Contains('/', StringComparison.Ordinal) ? name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..] : name;

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis of {RepoUrl} served from the cache")]
    private static partial void LogCacheHit(ILogger logger, string repoUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysed {RepoUrl}: package {Package}, {EnvCount} env vars, LLM used {LlmUsed}, in {ElapsedMs} ms")]
    private static partial void LogAnalyzed(ILogger logger, string repoUrl, string? package, int envCount, bool llmUsed, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis of {RepoUrl} failed ({Code}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string repoUrl, string code, string reason);
}
