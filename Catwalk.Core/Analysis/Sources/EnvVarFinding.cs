namespace Catwalk.Core.Analysis.Sources;

/// <summary>One mention of an environment variable in one file, with what that file says about it.</summary>
internal sealed record EnvVarFinding(string Name, EvidenceKind Kind, string Path)
{
    public string? Description { get; init; }

    /// <summary>True or false when the file says so; null when it does not.</summary>
    public bool? Required { get; init; }

    /// <summary>True or false when the file says so; null when it does not.</summary>
    public bool? Secret { get; init; }

    public string? Default { get; init; }

    /// <summary>The value an example shows (.env.example, README config), which may be a placeholder.</summary>
    public string? Example { get; init; }

    /// <summary>The file names another variable as an alternative (either will do), so neither is required on its own.</summary>
    public bool HasAlternative { get; init; }

    /// <summary>Mentioned only for running the server over HTTP/SSE (code on that path, a command serving HTTP, a
    /// sentence about that mode): it does not matter over stdio.</summary>
    public bool TransportOnly { get; init; }
}
