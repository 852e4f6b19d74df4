using System.Diagnostics.CodeAnalysis;
using Catwalk.Core.Analysis.Sources;

namespace Catwalk.Core.Analysis;

/// <summary>An analysis being assembled: the deterministic pass fills it, the LLM may add to it, the package check settles it.</summary>
[SuppressMessage("Design", "CA1002:Do not expose generic lists", Justification = "Internal working state.")]
internal sealed class AnalysisDraft
{
    public required string RepoUrl { get; init; }

    /// <summary>Package candidates, most trusted first; the registry check takes the first that exists.</summary>
    public List<PackageCandidate> Packages { get; } = [];

    public string? ServerName { get; set; }

    public string? ServerNameSource { get; set; }

    public string? Description { get; set; }

    public string? DescriptionSource { get; set; }

    public List<DraftEnvVar> Env { get; } = [];

    public List<(ToolSpec Tool, string Source)> Tools { get; } = [];

    /// <summary>Every file read, in reading order.</summary>
    public List<string> FilesRead { get; } = [];

    public List<string> Warnings { get; } = [];

    /// <summary>The result fields the LLM contributed to (credited to "llm" in the sources).</summary>
    public HashSet<string> LlmFields { get; } = new(StringComparer.Ordinal);

    /// <summary>The text of every file read, for checking that an LLM's answer is grounded in them.</summary>
    public string AllText { get; set; } = "";
}

/// <summary>An environment variable being assembled, remembering which facts came from registry metadata.</summary>
internal sealed class DraftEnvVar(string name)
{
    public string Name { get; } = name;

    public string? Description { get; set; }

    public bool Required { get; set; }

    public bool Secret { get; set; }

    public string? Default { get; set; }

    public required string Source { get; set; }

    /// <summary>Where the variable was first found; lower is stronger.</summary>
    public EvidenceKind Strongest { get; set; }

    /// <summary>Required came from server.json or manifest.json: an LLM never overrides it.</summary>
    public bool RequiredIsFact { get; set; }

    /// <summary>Secret came from server.json, manifest.json or smithery's password format: an LLM never overrides it.</summary>
    public bool SecretIsFact { get; set; }

    /// <summary>The file (or another variable) offers an alternative, so the deterministic pass marked it optional.</summary>
    public bool HasAlternative { get; set; }

    public EnvironmentVariableSpec ToSpec() => new()
    {
        Name = Name,
        Description = Description,
        Required = Required,
        Secret = Secret,
        Default = Default,
        Source = Source,
    };
}
