namespace Catwalk.Core.Analysis;

/// <summary>Analysis settings: <c>ANALYSIS_CACHE_TTL</c>, how long a result is reused (default 7 days; 0 disables the cache).</summary>
public sealed class AnalysisOptions
{
    public const string CacheTtlVariable = "ANALYSIS_CACHE_TTL";

    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Problems found while binding, each naming its variable; start-up fails when there are any.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
