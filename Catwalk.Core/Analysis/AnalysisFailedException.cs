namespace Catwalk.Core.Analysis;

/// <summary>An analysis failure the user must see; <see cref="Exception.Message"/> is written for them.</summary>
public sealed class AnalysisFailedException : Exception
{
    public AnalysisFailedException(AnalysisFailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public AnalysisFailedException()
    {
    }

    public AnalysisFailedException(string message)
        : base(message)
    {
    }

    public AnalysisFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AnalysisFailureKind Kind { get; } = AnalysisFailureKind.UpstreamUnreachable;

    /// <summary>A stable snake_case code for APIs: invalid_url, repository_not_found, rate_limited, package_not_found, no_package, upstream_unreachable.</summary>
    public string Code => Kind switch
    {
        AnalysisFailureKind.InvalidUrl => "invalid_url",
        AnalysisFailureKind.RepositoryNotFound => "repository_not_found",
        AnalysisFailureKind.RateLimited => "rate_limited",
        AnalysisFailureKind.PackageNotFound => "package_not_found",
        AnalysisFailureKind.NoPackage => "no_package",
        _ => "upstream_unreachable",
    };
}
