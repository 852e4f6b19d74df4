using Catwalk.Core.Analysis.Reading;

namespace Catwalk.Tests.Analysis;

public sealed class ServerFolderPathsTests
{
    [Theory]
    [InlineData("README.md", null, "README.md")]
    [InlineData("src/config.ts", "", "src/config.ts")]
    [InlineData("packages/mcp/README.md", "packages/mcp", "README.md")]
    [InlineData("packages/mcp/src/index.ts", "packages/mcp", "src/index.ts")]
    [InlineData("README.md", "packages/mcp", "README.md")]
    [InlineData("packages/shared/env.ts", "packages/mcp", "packages/shared/env.ts")]
    [InlineData("packages/mcp-other/index.ts", "packages/mcp", "packages/mcp-other/index.ts")]
    public void Files_of_the_server_folder_are_shown_relative_to_it_and_others_at_their_repository_path(string repositoryPath, string? folder, string expected) =>
        ServerFolderPaths.Relative(repositoryPath, folder).Should().Be(expected);
}
