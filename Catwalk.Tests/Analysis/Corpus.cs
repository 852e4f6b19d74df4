using System.Text.Json;
using System.Text.Json.Serialization;

namespace Catwalk.Tests.Analysis;

/// <summary>
/// The shared corpus of real MCP server repositories (<c>shared/corpus</c>): found by walking up from the test
/// assembly to a folder that contains <c>shared/corpus</c> (the worktree's sibling in CI and here).
/// </summary>
internal static class Corpus
{
    private static readonly Lazy<string?> Root = new(Locate);

    public static string Directory => Root.Value ?? throw new InvalidOperationException(
        $"The corpus was not found: no folder above {AppContext.BaseDirectory} contains shared/corpus.");

    public static string Repositories => Path.Combine(Directory, "repos");

    public static IReadOnlyList<CorpusCase> Cases() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(File.ReadAllText(Path.Combine(Directory, "cases.json")))!;

    public static IReadOnlyList<CorpusLabel> DevelopmentLabels() =>
        JsonSerializer.Deserialize<List<CorpusLabel>>(File.ReadAllText(Path.Combine(Directory, "labels-dev.json")))!;

    /// <summary>
    /// The held-back split: every 4th case in ordinal id order (the 4th, 8th, …), a rule that knows nothing about the
    /// repositories. Rules are written against the other cases; the benchmark hides these cases' details unless asked.
    /// </summary>
    public static bool IsHeldBack(string id, IEnumerable<string> allIds) =>
        allIds.Order(StringComparer.Ordinal).Select((caseId, index) => (caseId, index)).Single(x => x.caseId == id).index % 4 == 3;

    private static string? Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "corpus");
            if (File.Exists(Path.Combine(candidate, "cases.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}

internal sealed record CorpusCase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("repo_url")] string RepoUrl);

internal sealed record CorpusLabel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("repo_url")] string RepoUrl,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("env")] IReadOnlyList<CorpusEnvLabel> Env);

internal sealed record CorpusEnvLabel(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("required")] bool Required,
    [property: JsonPropertyName("secret")] bool Secret);
