using Catwalk.Core.Packages;

namespace Catwalk.Core.Analysis.Sources;

/// <summary>A package a file points at, for example package.json's name or an <c>npx -y</c> line in the README.</summary>
internal sealed record PackageCandidate(string Name, PackageRuntime Runtime, EvidenceKind Kind, string Path)
{
    public string? Version { get; init; }

    /// <summary>The version a run command in the repository pins (<c>npx -y pkg@1.2.3</c>), not a manifest's own version.</summary>
    public string? PinnedVersion { get; init; }

    /// <summary>package.json says <c>"private": true</c>: never published.</summary>
    public bool IsPrivate { get; init; }

    /// <summary>Whether the manifest declares an executable (npm <c>bin</c>, Python <c>[project.scripts]</c>); null when unknown.</summary>
    public bool? HasExecutable { get; init; }

    /// <summary>The arguments the file shows after the package for a stdio run (empty: none); null when it shows none
    /// for a stdio run (no command, or one serving HTTP).</summary>
    public IReadOnlyList<string>? Arguments { get; init; }

    /// <summary>The file <see cref="Arguments"/> came from, when it is not <see cref="Path"/>.</summary>
    public string? ArgumentsSource { get; init; }
}
