using Catwalk.Core.Analysis;
using Catwalk.Core.GitHub;

namespace Catwalk.Tests.Analysis;

public sealed class GitHubClientTests : IAsyncLifetime
{
    private readonly TestRepositories _repositories = new();
    private AnalyzerHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _repositories.Add("acme/tools", new Dictionary<string, string>
        {
            ["README.md"] = "# Acme tools\n",
            ["src/config.ts"] = "export const key = process.env.ACME_KEY;\n",
        });
        _host = await AnalyzerHost.StartAsync(_repositories.Root, settings: new Dictionary<string, string?> { ["GITHUB_TOKEN"] = "ghp_test_token" });
        _host.GitHub.Descriptions["acme/tools"] = "Tools for Acme";
    }

    private GitHubClient Client => _host.Services.GetRequiredService<GitHubClient>();

    [Fact]
    public async Task Repository_metadata_gives_the_default_branch_and_description()
    {
        var repository = await Client.GetRepositoryAsync("acme", "tools", TestContext.Current.CancellationToken);

        repository.Should().BeEquivalentTo(new { FullName = "acme/tools", DefaultBranch = "main", Description = "Tools for Acme" });
        _host.GitHub.LastAuthorization.Should().Be("Bearer ghp_test_token");
    }

    [Fact]
    public async Task The_tree_lists_files_and_contents_are_decoded_from_base64()
    {
        var tree = await Client.GetTreeAsync("acme", "tools", "main", TestContext.Current.CancellationToken);
        var text = await Client.GetFileTextAsync("acme", "tools", "src/config.ts", "main", TestContext.Current.CancellationToken);

        tree!.Files.Select(f => f.Path).Should().BeEquivalentTo(["README.md", "src/config.ts"]);
        text.Should().Be("export const key = process.env.ACME_KEY;\n");
    }

    [Fact]
    public async Task An_unknown_ref_or_file_is_null_and_an_unknown_repository_is_not_found()
    {
        (await Client.GetTreeAsync("acme", "tools", "no-such-branch", TestContext.Current.CancellationToken)).Should().BeNull();
        (await Client.GetFileTextAsync("acme", "tools", "missing.md", "main", TestContext.Current.CancellationToken)).Should().BeNull();

        var act = () => Client.GetRepositoryAsync("acme", "missing", TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<GitHubApiException>()).Which.Failure.Should().Be(GitHubFailure.NotFound);
    }

    [Fact]
    public async Task A_used_up_rate_limit_says_when_it_resets_and_how_to_raise_it()
    {
        _host.GitHub.RateLimited = true;

        var act = () => Client.GetRepositoryAsync("acme", "tools", TestContext.Current.CancellationToken);

        var failure = (await act.Should().ThrowAsync<GitHubApiException>()).Which;
        failure.Failure.Should().Be(GitHubFailure.RateLimited);
        failure.Message.Should().Contain("rate limit").And.Contain("UTC").And.Contain("GITHUB_TOKEN");
        _host.GitHub.Requests.Should().HaveCount(1, "a rate limit is never retried");
    }

    [Fact]
    public async Task A_failing_github_is_retried_then_reported_as_unreachable()
    {
        _host.GitHub.Unavailable = true;

        var act = () => Client.GetRepositoryAsync("acme", "tools", TestContext.Current.CancellationToken);

        (await act.Should().ThrowAsync<GitHubApiException>()).Which.Failure.Should().Be(GitHubFailure.Unreachable);
        _host.GitHub.Requests.Should().HaveCount(3, "a GET that failed with 503 is retried twice");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _repositories.Dispose();
    }
}
