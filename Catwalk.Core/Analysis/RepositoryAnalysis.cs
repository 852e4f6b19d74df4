using System.Text.Json.Serialization;
using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis;

/// <summary>
/// What it takes to run the MCP server in a repository. Serialized (cache, API) as
/// <c>{"repoUrl","name","description","package","runtime","version","env":[…],"args":[…],"tools":[…],"sources":[…],"llmUsed","warnings":[…],"analyzedAt"}</c>.
/// </summary>
public sealed record RepositoryAnalysis
{
    /// <summary>The normalized repository URL (the cache key).</summary>
    [JsonPropertyName("repoUrl")]
    public required string RepoUrl { get; init; }

    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The npm or PyPI package name, checked against its registry; null only when none could be found.</summary>
    [JsonPropertyName("package")]
    public string? Package { get; init; }

    [JsonPropertyName("runtime")]
    [JsonConverter(typeof(PackageRuntimeJsonConverter))]
    public PackageRuntime? Runtime { get; init; }

    /// <summary>The registry's latest version when it was checked, else the version the repository declares.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The version the repository's own run command pins (<c>npx -y pkg@1.2.3</c>); null means run the latest.</summary>
    [JsonPropertyName("pinnedVersion")]
    public string? PinnedVersion { get; init; }

    [JsonPropertyName("env")]
    public IReadOnlyList<EnvironmentVariableSpec> Env { get; init; } = [];

    /// <summary>What to pass after the package (<c>npx -y -- pkg args…</c>); <c>${NAME}</c> references a credential.</summary>
    [JsonPropertyName("args")]
    public IReadOnlyList<ArgumentSpec> Args { get; init; } = [];

    [JsonPropertyName("tools")]
    public IReadOnlyList<ToolSpec> Tools { get; init; } = [];

    /// <summary>Every file read, with the fields each supplied.</summary>
    [JsonPropertyName("sources")]
    public IReadOnlyList<AnalysisSource> Sources { get; init; } = [];

    /// <summary>True when a language model's answer was used; false means the deterministic analysis alone.</summary>
    [JsonPropertyName("llmUsed")]
    public bool LlmUsed { get; init; }

    [JsonPropertyName("warnings")]
    public IReadOnlyList<string> Warnings { get; init; } = [];

    [JsonPropertyName("analyzedAt")]
    public DateTimeOffset AnalyzedAt { get; init; }
}

/// <summary>An environment variable the server reads; <see cref="Source"/> is the file (or "llm") it was found in first.</summary>
public sealed record EnvironmentVariableSpec
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("required")]
    public bool Required { get; init; }

    [JsonPropertyName("secret")]
    public bool Secret { get; init; }

    [JsonPropertyName("default")]
    public string? Default { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }
}

/// <summary>One proposed server argument and the file it was found in.</summary>
public sealed record ArgumentSpec
{
    [JsonPropertyName("value")]
    public required string Value { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }
}

/// <summary>A tool the server offers, with its description where one was found.</summary>
public sealed record ToolSpec
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }
}

/// <summary>A file that was read, and which result fields it supplied (empty when it supplied none).</summary>
public sealed record AnalysisSource
{
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("fields")]
    public IReadOnlyList<string> Fields { get; init; } = [];
}
