using Catwalk.Core.Analysis.Reading;
using Catwalk.Core.GitHub;

namespace Catwalk.Tests.Analysis;

public sealed class RepositoryFileSelectorTests
{
    [Theory]
    [InlineData("src/index.ts", true)]
    [InlineData("src/acme_mcp/server.py", true)]
    [InlineData("scripts/start-server.ts", true)]
    [InlineData("scripts/release.ts", false)]
    [InlineData("src/__tests__/index.test.ts", false)]
    [InlineData("tests/test_server.py", false)]
    [InlineData("examples/client.ts", false)]
    [InlineData("api/mcp.ts", false)]
    [InlineData("src/http-server.ts", false)]
    [InlineData("src/types.d.ts", false)]
    [InlineData("dist/index.js", false)]
    [InlineData("vitest.config.ts", false)]
    [InlineData("README.md", false)]
    public void Only_the_servers_own_source_files_are_scanned(string path, bool scanned) =>
        RepositoryFileSelector.IsServerSource(path).Should().Be(scanned);

    [Fact]
    public void A_folder_uses_its_own_manifests_and_falls_back_to_the_roots_readme()
    {
        var tree = new GitHubTree(
        [
            new("README.md", 100), new("package.json", 50), new(".env.example", 20),
            new("src/weather/package.json", 50), new("src/weather/src/index.ts", 100), new("src/other/src/index.ts", 100),
        ], Truncated: false);

        var selected = RepositoryFileSelector.Select(tree, "src/weather", maxSourceFiles: 8);

        selected.Should().BeEquivalentTo(new (string, RepositoryFileKind)[]
        {
            ("README.md", RepositoryFileKind.Readme),
            ("src/weather/package.json", RepositoryFileKind.PackageJson),
            ("src/weather/src/index.ts", RepositoryFileKind.Source),
        });
    }

    [Fact]
    public void Configuration_files_are_read_before_other_sources_when_the_budget_is_short()
    {
        var tree = new GitHubTree(
        [
            new("src/tools/search.ts", 10), new("src/tools/create.ts", 10), new("src/config.ts", 10), new("src/utils/format.ts", 10),
        ], Truncated: false);

        var selected = RepositoryFileSelector.Select(tree, null, maxSourceFiles: 1);

        selected.Should().ContainSingle().Which.Path.Should().Be("src/config.ts");
    }
}
