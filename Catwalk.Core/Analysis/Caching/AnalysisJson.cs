using System.Text.Json;

namespace Catwalk.Core.Analysis.Caching;

/// <summary>The JSON form of <see cref="RepositoryAnalysis"/> stored in the cache.</summary>
public static class AnalysisJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize(RepositoryAnalysis analysis) => JsonSerializer.Serialize(analysis, Options);

    public static RepositoryAnalysis? Deserialize(string json) => JsonSerializer.Deserialize<RepositoryAnalysis>(json, Options);
}
