namespace Catwalk.Core.GitHub;

/// <summary>GitHub REST API settings: <c>GITHUB_API_BASE_URL</c> and the optional <c>GITHUB_TOKEN</c>.</summary>
public sealed class GitHubOptions
{
    public const string BaseUrlVariable = "GITHUB_API_BASE_URL";
    public const string TokenVariable = "GITHUB_TOKEN";

    public Uri BaseUrl { get; set; } = new("https://api.github.com/");

    /// <summary>Optional; raises the rate limit from 60 to 5,000 requests an hour and lets Catwalk read more source files.</summary>
    public string? Token { get; set; }

    /// <summary>Problems found while binding, each naming its variable; start-up fails when there are any.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
