namespace Catwalk.Core.GitHub;

/// <summary>A GitHub API call that failed in a way the caller should explain to the user.</summary>
public sealed class GitHubApiException : Exception
{
    public GitHubApiException(GitHubFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public GitHubApiException()
    {
    }

    public GitHubApiException(string message)
        : base(message)
    {
    }

    public GitHubApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GitHubFailure Failure { get; } = GitHubFailure.Unreachable;
}
