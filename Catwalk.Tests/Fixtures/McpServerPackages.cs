namespace Catwalk.Tests.Fixtures;

/// <summary>
/// The MCP server packages the tests run, installed under <c>Catwalk.Tests/McpServers</c> by
/// <see cref="InstallCommand"/>. Point a runtime's working directory at <see cref="Directory"/>: npx resolves
/// them from its node_modules, so no test waits on (or depends on) a registry download.
/// </summary>
public static class McpServerPackages
{
    public const string InstallCommand = "npm ci --prefix Catwalk.Tests/McpServers";

    /// <summary>The reference server: tools (echo, get-env, trigger-long-running-operation, ...), resources, prompts.</summary>
    public const string Everything = "@modelcontextprotocol/server-everything";

    /// <summary>A local test server that exits with code 3 after writing to stderr, or (mode "silent") never answers initialize.</summary>
    public const string Misbehaving = "catwalk-test-misbehaving-server";

    /// <summary>A local test server whose tool tries to escape the sandbox and reports what it saw (see its index.js).</summary>
    public const string Hostile = "catwalk-test-hostile-server";

    /// <summary>Set to "silent" in the misbehaving server's environment to make it start but never answer.</summary>
    public const string MisbehavingModeVariable = "CATWALK_TEST_SERVER_MODE";

    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The folder whose node_modules holds the packages; fails with the install command when they are missing.</summary>
    public static string Directory => Located.Value;

    private static string Locate()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Catwalk.Tests", "McpServers", "package.json")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"Catwalk.Tests/McpServers was not found above {AppContext.BaseDirectory}.");
        }

        var folder = Path.Combine(root.FullName, "Catwalk.Tests", "McpServers");
        foreach (var package in new[] { Everything, Misbehaving, Hostile })
        {
            if (!File.Exists(Path.Combine(folder, "node_modules", package, "package.json")))
            {
                throw new InvalidOperationException(
                    $"The test MCP server package {package} is not installed in {folder}. Run `{InstallCommand}` at the repository root (CI runs it before the tests).");
            }
        }

        return folder;
    }
}
