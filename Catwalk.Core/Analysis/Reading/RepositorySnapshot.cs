using Catwalk.Core.GitHub;

namespace Catwalk.Core.Analysis.Reading;

/// <summary>A fetched file and what kind of file it is.</summary>
internal sealed record RepositoryFile(string Path, RepositoryFileKind Kind, string Content);

/// <summary>The files of a repository that analysis reads, fetched at one ref.</summary>
internal sealed record RepositorySnapshot(
    GitHubRepoUrl Url,
    GitHubRepository Repository,
    string Ref,
    IReadOnlyList<RepositoryFile> Files,
    bool TreeTruncated);
