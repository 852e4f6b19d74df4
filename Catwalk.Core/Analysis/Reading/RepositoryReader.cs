using Catwalk.Core.GitHub;
using Microsoft.Extensions.Options;

namespace Catwalk.Core.Analysis.Reading;

/// <summary>Fetches what analysis reads from GitHub: metadata, the tree at the ref, and the selected files.</summary>
internal sealed class RepositoryReader(GitHubClient gitHub, IOptions<GitHubOptions> gitHubOptions)
{
    /// <summary>Source files read without a GitHub token, which allows only 60 API requests an hour.</summary>
    public const int SourceFilesWithoutToken = 8;

    /// <summary>Source files read with a GitHub token.</summary>
    public const int SourceFilesWithToken = 24;

    public async Task<RepositorySnapshot> ReadAsync(GitHubRepoUrl url, IProgress<AnalysisProgress>? progress, CancellationToken cancellationToken)
    {
        progress?.Report(new AnalysisProgress(AnalysisStage.ReadingRepository, $"Reading github.com/{url.DisplayName}"));
        var repository = await gitHub.GetRepositoryAsync(url.Owner, url.Repository, cancellationToken);

        var (resolved, tree) = await ReadTreeAsync(url, repository, cancellationToken);
        var gitRef = resolved.Ref ?? repository.DefaultBranch;
        if (resolved.Subdirectory is { } folder && !tree.Files.Any(f => f.Path.StartsWith(folder + "/", StringComparison.Ordinal)))
        {
            throw new AnalysisFailedException(AnalysisFailureKind.RepositoryNotFound,
                $"The folder '{folder}' does not exist in {repository.FullName} at '{gitRef}'. Check the URL, or use the repository URL without /tree/.");
        }

        var maxSources = string.IsNullOrEmpty(gitHubOptions.Value.Token) ? SourceFilesWithoutToken : SourceFilesWithToken;
        var selection = RepositoryFileSelector.Select(tree, resolved.Subdirectory, maxSources);
        var manifests = selection.Where(s => s.Kind != RepositoryFileKind.Source).Select(s => s.Path).ToList();
        progress?.Report(new AnalysisProgress(AnalysisStage.ReadingManifests,
            manifests.Count == 0
                ? $"Reading {selection.Count} source files"
                : $"Reading {string.Join(", ", manifests.Select(Path.GetFileName).Distinct())}{(selection.Count > manifests.Count ? $" and {selection.Count - manifests.Count} source files" : "")}"));

        using var gate = new SemaphoreSlim(4);
        var fetches = selection.Select(async file =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var content = await gitHub.GetFileTextAsync(url.Owner, url.Repository, file.Path, gitRef, cancellationToken);
                return content is null ? null : new RepositoryFile(file.Path, file.Kind, content);
            }
            finally
            {
                gate.Release();
            }
        });
        var files = (await Task.WhenAll(fetches)).OfType<RepositoryFile>().ToList();
        return new RepositorySnapshot(resolved, repository, gitRef, files, tree.Truncated);
    }

    /// <summary>
    /// The tree at the URL's ref. A ref may contain slashes (feature/x), which a /tree/ URL cannot tell from the
    /// folder, so shorter refs are tried first and folder segments are moved into the ref until GitHub knows it.
    /// </summary>
    private async Task<(GitHubRepoUrl Url, GitHubTree Tree)> ReadTreeAsync(GitHubRepoUrl url, GitHubRepository repository, CancellationToken cancellationToken)
    {
        if (url.Ref is null)
        {
            var tree = await gitHub.GetTreeAsync(url.Owner, url.Repository, repository.DefaultBranch, cancellationToken)
                ?? throw new AnalysisFailedException(AnalysisFailureKind.RepositoryNotFound, $"The default branch of {repository.FullName} could not be read (is the repository empty?).");
            return (url, tree);
        }

        var folder = url.Subdirectory?.Split('/') ?? [];
        for (var moved = 0; moved <= Math.Min(folder.Length, 3); moved++)
        {
            var gitRef = string.Join('/', new[] { url.Ref }.Concat(folder.Take(moved)));
            var tree = await gitHub.GetTreeAsync(url.Owner, url.Repository, gitRef, cancellationToken);
            if (tree is not null)
            {
                return (url.WithRefAndSubdirectory(gitRef, string.Join('/', folder.Skip(moved))), tree);
            }
        }

        throw new AnalysisFailedException(AnalysisFailureKind.RepositoryNotFound,
            $"The branch, tag or commit '{url.Ref}' was not found in {repository.FullName}. Check the URL, or use the repository URL without /tree/.");
    }
}
