namespace Catwalk.Core.Analysis.Llm;

/// <summary>
/// OpenRouter settings: <c>OPENROUTER_API_KEY</c> (optional: without it analysis is deterministic only),
/// <c>OPENROUTER_BASE_URL</c>, <c>OPENROUTER_MODEL</c>, and <c>PUBLIC_URL</c> (sent as HTTP-Referer).
/// </summary>
public sealed class OpenRouterOptions
{
    public const string ApiKeyVariable = "OPENROUTER_API_KEY";
    public const string BaseUrlVariable = "OPENROUTER_BASE_URL";
    public const string ModelVariable = "OPENROUTER_MODEL";
    public const string PublicUrlVariable = "PUBLIC_URL";

    public string? ApiKey { get; set; }

    public Uri BaseUrl { get; set; } = new("https://openrouter.ai/api/v1");

    public string Model { get; set; } = "anthropic/claude-haiku-4.5";

    /// <summary>This Catwalk's public address, sent as <c>HTTP-Referer</c> so OpenRouter can attribute requests.</summary>
    public Uri PublicUrl { get; set; } = new("http://localhost:5050");

    /// <summary>Characters of repository files sent to the model (about a quarter as many tokens).</summary>
    public int PromptCharacterBudget { get; set; } = 60_000;

    /// <summary>Problems found while binding, each naming its variable; start-up fails when there are any.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}
