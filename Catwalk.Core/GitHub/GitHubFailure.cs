namespace Catwalk.Core.GitHub;

public enum GitHubFailure
{
    NotFound,
    RateLimited,
    Unauthorized,
    Unreachable,
}
