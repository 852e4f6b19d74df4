namespace Catwalk.Core.Analysis;

/// <summary>Why an analysis could not produce a result; each has a stable <see cref="AnalysisFailedException.Code"/>.</summary>
public enum AnalysisFailureKind
{
    /// <summary>The URL is not an accepted GitHub repository URL.</summary>
    InvalidUrl,

    /// <summary>The repository (or the ref or folder in the URL) does not exist or is private.</summary>
    RepositoryNotFound,

    /// <summary>GitHub's API rate limit is used up.</summary>
    RateLimited,

    /// <summary>The repository names a package that its registry does not know.</summary>
    PackageNotFound,

    /// <summary>No npm or PyPI package could be found for the repository.</summary>
    NoPackage,

    /// <summary>GitHub or a package registry could not be reached, or answered with an error.</summary>
    UpstreamUnreachable,
}
