namespace Catwalk.Core.Analysis;

/// <summary>How to analyse: <see cref="Force"/> bypasses the cache; a user's own OpenRouter key is used before the system's.</summary>
public sealed record AnalysisRequest
{
    public static AnalysisRequest Default { get; } = new();

    /// <summary>Analyse again even when a cached result exists (the new result replaces it).</summary>
    public bool Force { get; init; }

    /// <summary>The user's own OpenRouter API key; when null, <c>OPENROUTER_API_KEY</c> is used if set. Never logged or cached.</summary>
    public string? OpenRouterApiKey { get; init; }

    public override string ToString() => $"AnalysisRequest {{ Force = {Force}, OpenRouterApiKey = {(OpenRouterApiKey is null ? "none" : "(set)")} }}";
}
