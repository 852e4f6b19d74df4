using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Catwalk.Core.GitHub;

namespace Catwalk.Core.Analysis.Reading;

/// <summary>
/// Chooses which files of a repository's tree to fetch: the README and manifests of the server's folder (falling
/// back to the repository root for any that folder lacks), and the source files most likely to read configuration.
/// </summary>
internal static partial class RepositoryFileSelector
{
    // Folders that hold tests, examples, build output or tooling rather than the server's own code.
    private static readonly FrozenSet<string> SkippedFolders = FrozenSet.ToFrozenSet(
    [
        "node_modules", "dist", "build", "out", "vendor", "test", "tests", "__tests__", "__mocks__", "spec", "specs", "e2e", "examples",
        "example", "samples", "sample", "demo", "demos", "docs", "doc", "scripts", "script", "evals", "eval", "benchmarks", "benchmark",
        "bench", "fixtures", ".github", ".vscode", ".idea", "coverage", "site-packages", "venv", ".venv", "env", ".tox", "website",
        "playground", "stories", ".storybook", "integration-tests", "testing", "mocks", "__pycache__", ".husky", "cypress", "typings",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> SourceExtensions = FrozenSet.ToFrozenSet(
        [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".py"], StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> EntryNames = FrozenSet.ToFrozenSet(
    [
        "config", "configuration", "env", "environment", "settings", "constants", "index", "main", "server", "stdio", "cli",
        "__main__", "__init__", "app", "auth", "client", "options", "utils", "common", "mcp", "setup-env",
    ], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] EnvExampleNames =
        [".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults", "env.example", "example.env", "sample.env", ".env.local.example", ".env.example.local"];

    /// <summary>The files to fetch, manifests first, then at most <paramref name="maxSourceFiles"/> source files.</summary>
    public static IReadOnlyList<(string Path, RepositoryFileKind Kind)> Select(GitHubTree tree, string? baseDirectory, int maxSourceFiles)
    {
        var prefix = string.IsNullOrEmpty(baseDirectory) ? "" : baseDirectory.TrimEnd('/') + "/";
        var files = tree.Files.Where(f => f.Size is null or <= GitHubClient.MaxFileBytes).Select(f => f.Path).ToList();
        var selected = new List<(string, RepositoryFileKind)>();

        void AddManifest(RepositoryFileKind kind, Func<string, bool> matches, int limit = 1, bool rootFallback = true)
        {
            // The server's folder first; the repository root only when the folder has none (never for .env files and
            // Dockerfiles, which at a monorepo's root configure something else).
            foreach (var folder in prefix.Length == 0 || !rootFallback ? [prefix] : new[] { prefix, "" })
            {
                var found = files.Where(f => f.StartsWith(folder, StringComparison.Ordinal) && !f[folder.Length..].Contains('/', StringComparison.Ordinal)
                        && matches(f[folder.Length..]))
                    .OrderBy(f => f.Length)
                    .Take(limit)
                    .ToList();
                if (found.Count > 0)
                {
                    selected.AddRange(found.Select(f => (f, kind)));
                    return;
                }
            }
        }

        AddManifest(RepositoryFileKind.Readme, name => ReadmeName().IsMatch(name), limit: 2);
        AddManifest(RepositoryFileKind.ServerJson, name => name == "server.json");
        AddManifest(RepositoryFileKind.PackageJson, name => name == "package.json");
        AddManifest(RepositoryFileKind.Pyproject, name => name == "pyproject.toml");
        AddManifest(RepositoryFileKind.Smithery, name => name is "smithery.yaml" or "smithery.yml");
        AddManifest(RepositoryFileKind.BundleManifest, name => name is "manifest.json");
        AddManifest(RepositoryFileKind.EnvExample, name => EnvExampleNames.Contains(name, StringComparer.OrdinalIgnoreCase), limit: 2, rootFallback: false);
        AddManifest(RepositoryFileKind.Dockerfile, name => name == "Dockerfile", rootFallback: false);

        var sources = files
            .Where(f => f.StartsWith(prefix, StringComparison.Ordinal) && IsServerSource(f[prefix.Length..]))
            .OrderBy(f => Priority(f[prefix.Length..]))
            .ThenBy(f => f, StringComparer.Ordinal)
            .Take(maxSourceFiles);
        selected.AddRange(sources.Select(f => (f, RepositoryFileKind.Source)));
        return selected;
    }

    /// <summary>
    /// A source file of the server itself (relative to the server's folder): not a test, example, script, build
    /// output, type declaration, serverless HTTP function (top-level api/) or HTTP/SSE transport module.
    /// </summary>
    internal static bool IsServerSource(string relativePath)
    {
        var segments = relativePath.Split('/');
        var fileName = segments[^1];
        var extension = Path.GetExtension(fileName);
        if (!SourceExtensions.Contains(extension))
        {
            return false;
        }

        // scripts/ holds build and release tooling, except sometimes the server's own entry point (scripts/start-server.ts).
        var folders = segments[..^1];
        if (folders.Length == 1 && folders[0] is "scripts" or "script" or "bin")
        {
            var stem = Path.GetFileNameWithoutExtension(fileName);
            return stem.Contains("server", StringComparison.OrdinalIgnoreCase) || stem.Contains("start", StringComparison.OrdinalIgnoreCase)
                || stem is "cli" or "index" or "main" or "stdio";
        }

        if (folders.Any(SkippedFolders.Contains))
        {
            return false;
        }

        if (segments.Length > 1 && segments[0] is "api" or "functions" or "netlify" or "workers")
        {
            return false;
        }

        return !NonServerFile().IsMatch(fileName);
    }

    private static int Priority(string relativePath)
    {
        var segments = relativePath.Split('/');
        var stem = Path.GetFileNameWithoutExtension(segments[^1]);
        var score = segments.Length * 2;
        if (EntryNames.Contains(stem) || stem.Contains("config", StringComparison.OrdinalIgnoreCase) || stem.Contains("env", StringComparison.OrdinalIgnoreCase)
            || stem.Contains("setting", StringComparison.OrdinalIgnoreCase) || stem.Contains("auth", StringComparison.OrdinalIgnoreCase))
        {
            score -= 6;
        }

        if (segments[0] is "src" or "lib" or "app" or "server")
        {
            score -= 1;
        }

        if (segments[..^1].Any(s => s is "tools" or "handlers" or "resources" or "prompts" or "types" or "schemas" or "models"))
        {
            score += 3;
        }

        return score;
    }

    [GeneratedRegex(@"^(?:[A-Za-z_\-]*readme[A-Za-z_\-]*)(?:\.(?:md|markdown|rst|txt))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadmeName();

    [GeneratedRegex(@"\.d\.[cm]?ts$|\.min\.js$|[.\-_](test|spec|stories|bench)\.[a-z]+$|^test_.*\.py$|_test\.py$|^conftest\.py$|^setup\.py$|^noxfile\.py$|^(vite|vitest|jest|webpack|rollup|eslint|prettier|babel|tsup|esbuild|playwright|tailwind|postcss|karma|next|nuxt|svelte|astro|drizzle)\.config\.|^\.|^(http|sse|streamable|express|worker|vercel|lambda|cloudflare)[-_.]|[-_](http|sse)[-_.]?(server|transport)?\.", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NonServerFile();
}
