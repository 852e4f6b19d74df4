using System.Diagnostics.CodeAnalysis;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>Everything one file contributes to an analysis.</summary>
[SuppressMessage("Design", "CA1002:Do not expose generic lists", Justification = "Internal accumulator filled by parsers.")]
internal sealed class SourceFindings(string path, EvidenceKind kind)
{
    public string Path { get; } = path;

    public EvidenceKind Kind { get; } = kind;

    public List<PackageCandidate> Packages { get; } = [];

    public List<EnvVarFinding> EnvVars { get; } = [];

    public List<ToolSpec> Tools { get; } = [];

    /// <summary>Server arguments proposed without naming a package (smithery's commandFunction).</summary>
    public IReadOnlyList<string>? Arguments { get; set; }

    /// <summary>What the file asks for that Catwalk cannot do as written, for the result's warnings.</summary>
    public List<string> Warnings { get; } = [];

    public string? ServerName { get; set; }

    public string? Description { get; set; }

    public string? Version { get; set; }

    /// <summary>Runtime hint from a manifest that does not name a package (for example manifest.json's server.type).</summary>
    public Catwalk.Core.Packages.PackageRuntime? RuntimeHint { get; set; }
}
