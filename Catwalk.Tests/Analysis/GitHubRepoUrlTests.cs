using Catwalk.Core.GitHub;

namespace Catwalk.Tests.Analysis;

public sealed class GitHubRepoUrlTests
{
    [Theory]
    [InlineData("https://github.com/brave/brave-search-mcp-server", "https://github.com/brave/brave-search-mcp-server")]
    [InlineData("https://github.com/Brave/Brave-Search-MCP-Server/", "https://github.com/brave/brave-search-mcp-server")]
    [InlineData("https://github.com/brave/brave-search-mcp-server.git", "https://github.com/brave/brave-search-mcp-server")]
    [InlineData("  github.com/brave/brave-search-mcp-server  ", "https://github.com/brave/brave-search-mcp-server")]
    [InlineData("http://www.github.com/brave/brave-search-mcp-server#readme", "https://github.com/brave/brave-search-mcp-server")]
    [InlineData("https://github.com/modelcontextprotocol/servers/tree/main/src/everything", "https://github.com/modelcontextprotocol/servers/tree/main/src/everything")]
    [InlineData("https://github.com/modelcontextprotocol/servers/tree/main/src/everything/", "https://github.com/modelcontextprotocol/servers/tree/main/src/everything")]
    [InlineData("https://github.com/owner/repo/tree/v1.2.0", "https://github.com/owner/repo/tree/v1.2.0")]
    public void Accepted_urls_normalize_to_one_cache_key(string input, string normalized)
    {
        GitHubRepoUrl.TryParse(input, out var url, out var error).Should().BeTrue(error);

        url!.Normalized.Should().Be(normalized);
    }

    [Fact]
    public void A_tree_url_keeps_its_ref_and_folder()
    {
        var url = GitHubRepoUrl.Parse("https://github.com/modelcontextprotocol/servers/tree/main/src/everything");

        url.Owner.Should().Be("modelcontextprotocol");
        url.Repository.Should().Be("servers");
        url.Ref.Should().Be("main");
        url.Subdirectory.Should().Be("src/everything");
        url.DisplayName.Should().Be("modelcontextprotocol/servers/src/everything");
    }

    [Theory]
    [InlineData("", "Enter a URL")]
    [InlineData("https://gitlab.com/owner/repo", "Only repositories on github.com")]
    [InlineData("https://user:pass@github.com/owner/repo", "user name or password")]
    [InlineData("https://github.com:8443/owner/repo", "port")]
    [InlineData("https://github.com/owner/repo/tree/main/../../etc", "'..'")]
    [InlineData("https://github.com/owner/../repo", "'..'")]
    [InlineData("https://github.com/owner/re%2Fpo", "not allowed")]
    [InlineData("https://github.com/owner/repo?tab=readme", "query string")]
    [InlineData("https://github.com/owner", "both the owner and the repository")]
    [InlineData("https://github.com/owner/repo/blob/main/README.md", "points at a file")]
    [InlineData("https://github.com/owner/repo/issues/1", "Only repository URLs")]
    [InlineData("https://github.com/-owner/repo", "not a valid GitHub owner")]
    [InlineData("https://github.com/owner/re po", "not a valid repository name")]
    [InlineData("https://github.com/owner/repo/tree/main/sr$c", "not allowed")]
    [InlineData("ftp://github.com/owner/repo", "Only https")]
    [InlineData("javascript:alert(1)", "not a URL")]
    public void Rejected_urls_say_what_is_accepted(string input, string reason)
    {
        GitHubRepoUrl.TryParse(input, out var url, out var error).Should().BeFalse();

        url.Should().BeNull();
        error.Should().Contain(reason).And.Contain("https://github.com/owner/repo");
    }

    [Fact]
    public void Parse_throws_a_format_exception_with_the_same_message()
    {
        var act = () => GitHubRepoUrl.Parse("https://example.com/x/y");

        act.Should().Throw<FormatException>().WithMessage("*github.com*https://github.com/owner/repo*");
    }
}
