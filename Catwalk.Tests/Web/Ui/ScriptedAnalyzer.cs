using Catwalk.Core.Analysis;

namespace Catwalk.Tests.Web.Ui;

/// <summary>An analyzer the test drives: it reports the stages it is told to, then waits for the test's result.</summary>
internal sealed class ScriptedAnalyzer : IRepositoryAnalyzer
{
    private readonly TaskCompletionSource<RepositoryAnalysis> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IProgress<AnalysisProgress>? _progress;

    public List<(string RepoUrl, AnalysisRequest Request)> Calls { get; } = [];

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<RepositoryAnalysis> AnalyzeAsync(string repoUrl, AnalysisRequest request, IProgress<AnalysisProgress>? progress, CancellationToken ct)
    {
        Calls.Add((repoUrl, request));
        _progress = progress;
        Started.TrySetResult();
        return await _result.Task.WaitAsync(ct);
    }

    public void Report(AnalysisStage stage, string message) => _progress!.Report(new AnalysisProgress(stage, message));

    public void Finish(RepositoryAnalysis analysis) => _result.SetResult(analysis);

    public void Fail(Exception exception) => _result.SetException(exception);

    /// <summary>A result like analysing a server that needs an API key (secret, required) and a region (default).</summary>
    public static RepositoryAnalysis WeatherAnalysis() => new()
    {
        RepoUrl = "https://github.com/example/weather-mcp",
        Name = "Weather MCP",
        Description = "Forecasts for agents",
        Package = "@example/weather-mcp",
        Runtime = Catwalk.Core.Packages.PackageRuntime.Npm,
        Version = "1.2.3",
        Env =
        [
            new EnvironmentVariableSpec { Name = "WEATHER_API_KEY", Description = "Your API key from weather.example", Required = true, Secret = true, Source = "README.md" },
            new EnvironmentVariableSpec { Name = "WEATHER_REGION", Description = "Region for forecasts", Required = false, Secret = false, Default = "eu", Source = "src/config.ts" },
        ],
        Sources =
        [
            new AnalysisSource { Path = "package.json", Fields = ["package", "runtime", "version", "name"] },
            new AnalysisSource { Path = "README.md", Fields = ["env"] },
        ],
        AnalyzedAt = DateTimeOffset.UtcNow,
    };
}
