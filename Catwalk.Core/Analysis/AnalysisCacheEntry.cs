namespace Catwalk.Core.Analysis;

/// <summary>A cached repository analysis, keyed by the normalized repo URL (with its ref) and the sources that answered.</summary>
public sealed class AnalysisCacheEntry
{
    public long Id { get; set; }

    public required string NormalizedRepoUrl { get; set; }

    /// <summary>The GitHub API and registry base URLs the analysis was made against: another set analyses afresh.</summary>
    public string SourcesKey { get; set; } = "";

    /// <summary>The analysis result as JSON (stored as jsonb).</summary>
    public required string ResultJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
